#!/bin/bash
# A taskloaf job for PBS Pro / OpenPBS (qsub), `-l select=` dialect: submit it
# with `qsub FILE`, as it is or edited.
#PBS -N fib
#PBS -l select=2:ncpus=8:mpiprocs=4:ompthreads=2:mem=16gb:ngpus=1
#PBS -l place=scatter:excl
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

# One rank per mpiproc. Inside the job `taskloaf run` starts them with mpiexec
# over $PBS_NODEFILE; when Slurm runs this script through its qsub wrapper
# (no $PBS_NODEFILE), it uses the Slurm allocation instead.
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts --size 'big one'
