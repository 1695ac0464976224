import { FailedPreconditionError } from '@shoal/api';

/** The stored Raft log cannot be trusted: the manager must stop rather than run on (and lose) part of it. */
export class CorruptLogError extends FailedPreconditionError {
  constructor(readonly dir: string, readonly problem: string) {
    super(`corrupt Raft log in ${dir}: ${problem}`);
  }
}
