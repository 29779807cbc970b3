#!/bin/bash
{{! The template of a taskloaf job for PBS Pro / OpenPBS. `taskloaf template
    pbs --dialect pbspro` and `taskloaf submit --scheduler pbs` fill in the
    fields in double braces (every value checked and quoted first) and drop
    this note. Copy and edit freely, then pass the copy with `--template`. }}
# A taskloaf job for PBS Pro / OpenPBS (qsub), `-l select=` dialect: submit it
# with `qsub FILE`, as it is or edited.
{{directives}}

set -eo pipefail
{{environment}}
{{setup}}
cd {{workdir}}

# One rank per mpiproc. Inside the job `taskloaf run` starts them with mpiexec
# over $PBS_NODEFILE; when Slurm runs this script through its qsub wrapper
# (no $PBS_NODEFILE), it uses the Slurm allocation instead.
{{launch}}
