#!/bin/bash
# A taskloaf job for Torque (qsub), `-l nodes=N:ppn=C` dialect.
# `taskloaf template pbs --dialect torque` and
# `taskloaf submit --scheduler pbs --dialect torque` fill in the fields in double braces;
# every value is checked and quoted first. Copy and edit freely:
# a copy can be used with `--template` or submitted with plain qsub.
{{directives}}

set -eo pipefail
{{environment}}
{{setup}}
cd {{workdir}}

# One rank per processor (ppn). Inside the job `taskloaf run` starts them with
# mpiexec over $PBS_NODEFILE; when Slurm runs this script through its qsub
# wrapper (no $PBS_NODEFILE), it uses the Slurm allocation instead.
{{launch}}
