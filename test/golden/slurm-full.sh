#!/bin/bash
# A taskloaf job for Slurm: submit it with `sbatch FILE`, as it is or edited.
#SBATCH --job-name=fib
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=4
#SBATCH --cpus-per-task=2
#SBATCH --mem=16G
#SBATCH --time=01:30:00
#SBATCH --partition=compute
#SBATCH --account=proj42
#SBATCH --gpus-per-node=1
#SBATCH --exclusive
#SBATCH --output=/home/user/proj/taskloaf-jobs/fib-%j.out
#SBATCH --error=/home/user/proj/taskloaf-jobs/fib-%j.err
#SBATCH --mail-user=me@example.org
#SBATCH --mail-type=END,FAIL
#SBATCH --chdir=/home/user/proj
#SBATCH --export=ALL

set -eo pipefail
export OMP_PROC_BIND=close
export GREETING='it'\''s $(not run)'
module load openmpi/4.1
source ~/venv.sh
cd /home/user/proj

# One rank per Slurm task. Inside an allocation `taskloaf run` starts them with
# the allocation's launcher: mpirun/mpiexec, which read the Slurm allocation and
# bind each rank to a core (or srun --cpu-bind=cores with --launcher srun).
exec /usr/bin/node /opt/taskloaf/dist/cli/main.js run -- /home/user/proj/app.ts --size 'big one'
