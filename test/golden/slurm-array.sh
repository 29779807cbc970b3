#!/bin/bash
# A taskloaf job for Slurm: submit it with `sbatch FILE`, as it is or edited.
#SBATCH --job-name=app
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=512M
#SBATCH --output=/home/user/proj/taskloaf-jobs/app-%A_%a.out
#SBATCH --error=/home/user/proj/taskloaf-jobs/app-%A_%a.err
#SBATCH --chdir=/home/user/proj
#SBATCH --array=1-9:2
#SBATCH --dependency=afterok:100:101,afterany:102

set -eo pipefail

cd /home/user/proj

# One rank per Slurm task. Inside an allocation `taskloaf run` starts them with
# the allocation's launcher: mpirun/mpiexec, which read the Slurm allocation and
# bind each rank to a core (or srun --cpu-bind=cores with --launcher srun).
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts
