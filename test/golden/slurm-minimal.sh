#!/bin/bash
# A taskloaf job for Slurm: submit it with `sbatch FILE`, as it is or edited.
#SBATCH --job-name=app
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=1
#SBATCH --output=/home/user/proj/taskloaf-jobs/app-%j.out
#SBATCH --error=/home/user/proj/taskloaf-jobs/app-%j.err
#SBATCH --chdir=/home/user/proj

set -eo pipefail

cd /home/user/proj

# One rank per Slurm task. Inside an allocation `taskloaf run` starts them with
# the allocation's launcher: mpirun/mpiexec, which read the Slurm allocation and
# bind each rank to a core (or srun --cpu-bind=cores with --launcher srun).
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts
