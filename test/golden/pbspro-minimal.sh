#!/bin/bash
# A taskloaf job for PBS Pro / OpenPBS (qsub), `-l select=` dialect: submit it
# with `qsub FILE`, as it is or edited.
#PBS -N app
#PBS -l select=1:ncpus=1:mpiprocs=1:ompthreads=1
#PBS -l place=pack
#PBS -o /home/user/proj/taskloaf-jobs/app-20261129-120000-a1b2.out
#PBS -e /home/user/proj/taskloaf-jobs/app-20261129-120000-a1b2.err

set -eo pipefail

cd /home/user/proj

# One rank per mpiproc. Inside the job `taskloaf run` starts them with mpiexec
# over $PBS_NODEFILE; when Slurm runs this script through its qsub wrapper
# (no $PBS_NODEFILE), it uses the Slurm allocation instead.
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts
