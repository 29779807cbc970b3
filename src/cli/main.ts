#!/usr/bin/env node
// The taskloaf command. Slurm's time-limit warning (SIGUSR2) may come the
// moment a job starts, and a process without a listener dies of it: the
// listener goes in before the rest of the command line loads (a fifth of a
// second), and `taskloaf run` hears of a warning that came meanwhile.
import { keepEarlyWarnings } from '../launch/early-warning.js';

keepEarlyWarnings();
await import('./cli.js');
