#!/bin/bash
# A taskloaf job for PBS Pro / OpenPBS (qsub), `-l select=` dialect: submit it
# with `qsub FILE`, as it is or edited.
#PBS -N app
#PBS -l select=1:ncpus=1:mpiprocs=1:ompthreads=1:mem=512mb
#PBS -l place=pack
#PBS -o /home/user/proj/taskloaf-jobs/app-20261129-120000-a1b2.^array_index^.out
#PBS -e /home/user/proj/taskloaf-jobs/app-20261129-120000-a1b2.^array_index^.err
#PBS -W depend=afterok:100:101,afterany:102
#PBS -J 1-9:2

set -eo pipefail

cd /home/user/proj

# One rank per mpiproc. Inside the job `taskloaf run` starts them with mpiexec
# over $PBS_NODEFILE; when Slurm runs this script through its qsub wrapper
# (no $PBS_NODEFILE), it uses the Slurm allocation instead.
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts
