#!/bin/bash
# A taskloaf job for Torque (qsub), `-l nodes=N:ppn=C` dialect: submit it with
# `qsub FILE`, as it is or edited.
#PBS -N app
#PBS -l nodes=1:ppn=1
#PBS -l mem=512mb
#PBS -o /home/user/proj/taskloaf-jobs/app-20261129-120000-a1b2.out
#PBS -e /home/user/proj/taskloaf-jobs/app-20261129-120000-a1b2.err
#PBS -W depend=afterok:100:101,afterany:102
#PBS -t 1,3,5,7,9

set -eo pipefail

cd /home/user/proj

# One rank per processor (ppn). Inside the job `taskloaf run` starts them with
# mpiexec over $PBS_NODEFILE; when Slurm runs this script through its qsub
# wrapper (no $PBS_NODEFILE), it uses the Slurm allocation instead.
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts
