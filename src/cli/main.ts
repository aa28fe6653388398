// The faultline command line: parses, calls the library, prints, and decides the exit code. No logic:
// each command's file under commands/ registers it.
import { Command, Option } from 'commander';
import { EXIT } from '../errors.js';
import { tuneHeapForLoad } from '../heap.js';
import { healAllLive } from '../nemesis/nemesis.js';
import { takenAsClientFailure } from '../run/client-failure.js';
import { VERSION } from '../version.js';
import { registerCapacity, registerCompare } from './commands/capacity.js';
import { registerExplore } from './commands/explore.js';
import { registerRun } from './commands/run.js';
import { registerShards } from './commands/shards.js';
import { registerStored } from './commands/stored.js';
import { registerTools } from './commands/tools.js';
import { fail } from './output.js';

export { exitCodeOf } from './output.js';

export function buildProgram(): Command {
  const program = new Command('faultline').description('Chaos and load testing for event systems').version(VERSION, '-V, --version').showHelpAfterError();
  registerRun(program);
  registerCompare(program);
  registerShards(program);
  registerStored(program);
  registerCapacity(program);
  registerExplore(program);
  registerTools(program);
  program.addOption(new Option('--no-color', 'no colours').hideHelp());
  return program;
}

/** A bug must not leave a broker broken: heal every live fault, then report the crash. A client library's own throw during a run is that run's to log (client-failure.ts). */
function onCrash(err: unknown): void {
  if (takenAsClientFailure(err)) return;
  void healAllLive().finally(() => fail(err));
}

/** How long a finished command waits for its last sockets to close before it exits anyway. */
const LINGER_MS = 3000;

export async function main(argv: string[]): Promise<void> {
  tuneHeapForLoad();
  process.on('uncaughtException', onCrash).on('unhandledRejection', onCrash);
  const program = buildProgram();
  program.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    fail(err);
  }
  // The command is done and its results are on disk. A client whose close timed out (a broker that
  // stopped answering mid-teardown) may still hold a socket: it must not keep the process alive.
  setTimeout(() => process.exit(), LINGER_MS).unref();
}
