#!/bin/bash
{{! The template of a taskloaf job for Torque. `taskloaf template pbs
    --dialect torque` and `taskloaf submit --scheduler pbs --dialect torque`
    fill in the fields in double braces (every value checked and quoted first)
    and drop this note. Copy and edit freely, then pass the copy with
    `--template`. }}
# A taskloaf job for Torque (qsub), `-l nodes=N:ppn=C` dialect: submit it with
# `qsub FILE`, as it is or edited.
{{directives}}

set -eo pipefail
{{environment}}
{{setup}}
cd {{workdir}}

# One rank per processor (ppn). Inside the job `taskloaf run` starts them with
# mpiexec over $PBS_NODEFILE; when Slurm runs this script through its qsub
# wrapper (no $PBS_NODEFILE), it uses the Slurm allocation instead.
{{launch}}
