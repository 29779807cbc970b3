#!/bin/bash
# A taskloaf job for PBS Pro / OpenPBS (qsub), `-l select=` dialect.
# `taskloaf template pbs --dialect pbspro` and `taskloaf submit --scheduler pbs`
# fill in the fields in double braces; every value is checked and quoted
# first. Copy and edit freely: a copy can be used with `--template` or
# submitted with plain qsub.
{{directives}}

set -eo pipefail
{{environment}}
{{setup}}
cd {{workdir}}

# One rank per mpiproc. Inside the job `taskloaf run` starts them with mpiexec
# over $PBS_NODEFILE; when Slurm runs this script through its qsub wrapper
# (no $PBS_NODEFILE), it uses the Slurm allocation instead.
{{launch}}
