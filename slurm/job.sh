#!/bin/bash
# A taskloaf job for Slurm (sbatch). `taskloaf template slurm` and
# `taskloaf submit --scheduler slurm` fill in the fields in double braces;
# every value is checked and quoted first. Copy and edit freely: a copy can be
# used with `--template` or submitted with plain sbatch.
{{directives}}

set -eo pipefail
{{environment}}
{{setup}}
cd {{workdir}}

# One rank per Slurm task. Inside an allocation `taskloaf run` starts them with
# the allocation's launcher: mpirun/mpiexec, which read the Slurm allocation and
# bind each rank to a core (or srun --cpu-bind=cores with --launcher srun).
{{launch}}
