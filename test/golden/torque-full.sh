#!/bin/bash
# A taskloaf job for Torque (qsub), `-l nodes=N:ppn=C` dialect: submit it with
# `qsub FILE`, as it is or edited.
#PBS -N fib
#PBS -l nodes=2:ppn=8:gpus=1
#PBS -l mem=32gb
#PBS -n
#PBS -l walltime=01:30:00
#PBS -q compute
#PBS -A proj42
#PBS -o /home/user/proj/taskloaf-jobs/fib-20261129-120000-a1b2.out
#PBS -e /home/user/proj/taskloaf-jobs/fib-20261129-120000-a1b2.err
#PBS -M me@example.org
#PBS -m ae
#PBS -V

set -eo pipefail
export OMP_PROC_BIND=close
export GREETING='it'\''s $(not run)'
module load openmpi/4.1
source ~/venv.sh
cd /home/user/proj

# One rank per processor (ppn). Inside the job `taskloaf run` starts them with
# mpiexec over $PBS_NODEFILE; when Slurm runs this script through its qsub
# wrapper (no $PBS_NODEFILE), it uses the Slurm allocation instead.
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts --size 'big one'
