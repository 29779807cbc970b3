#!/bin/bash
{{! The template of a taskloaf job for Slurm. `taskloaf template slurm` and
    `taskloaf submit --scheduler slurm` fill in the fields in double braces
    (every value checked and quoted first) and drop this note. Copy and edit
    freely, then pass the copy with `--template`. }}
# A taskloaf job for Slurm: submit it with `sbatch FILE`, as it is or edited.
{{directives}}

set -eo pipefail
{{environment}}
{{setup}}
cd {{workdir}}

# One rank per Slurm task. Inside an allocation `taskloaf run` starts them with
# the allocation's launcher: mpirun/mpiexec, which read the Slurm allocation and
# bind each rank to a core (or srun --cpu-bind=cores with --launcher srun).
{{launch}}
