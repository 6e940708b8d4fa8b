import { env } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../platform/backend.js';
import { type CliArgs, parseCommandLine } from './args.js';
import { baselineCommand, phantomCommand, predictCommand, reportCommand } from './commands.js';
import { UsageError } from './errors.js';
import { type CliIo, reproduce } from './reproduce.js';

const USAGE: Record<string, string> = {
  main: `rpdl — reproduce the RPDL paper's cross-validation studies (Tables I–IV)

Usage:
  rpdl [reproduce] [options]   train + evaluate the run grid (default: --profile quick)
  rpdl report <out>            Tables I–IV (Markdown, CSV, JSON) and figures from finished runs
  rpdl baseline [options]      Experiment 2's surgeon baseline from the data alone
  rpdl phantom --out <dir>     write the synthetic CM phantom as x9_7.npy / y9_7.npy
  rpdl predict --model <run dir> --input <file.npy>
  rpdl help <command>          options of one command
`,
  reproduce: `rpdl reproduce [options]

  --profile <name>              quick (default: U-net, 3 losses, all folds, 16³ phantom, each run
                                trained to convergence), models (the same for all four models),
                                paper, smoke
  --experiment 1|2|both         1 = leave one bone out, 2 = leave one surgeon out
  --models a,b                  unet3d, vnet3d, isensee2017, myronenko2018
  --losses a,b                  wcel, dl, rpdl
  --folds 0,2,4-6|all           0-based fold numbers (tables label fold k as Bone/Surgeon k+1)
  --data <dir>                  directory with x9_7.npy and y9_7.npy (default: the phantom)
  --phantom-size <n>            phantom edge length instead of the profile's
  --backend auto|cpu|wasm|node|cuda|webgpu   (default auto: the fastest installed)
  --out <dir>                   output directory (default runs/<profile>)
  -j, --jobs <n>                runs trained at once in worker processes (default: one per core)
  --resume                      skip finished runs, continue interrupted ones from their checkpoint
  --shard i/n                   run only shard i of n (also: SLURM_ARRAY_TASK_ID/COUNT, or
                                JOB_COMPLETION_INDEX with --shard-count n or RPDL_SHARD_COUNT)
  --shard-count <n>             shard count for Kubernetes Indexed Jobs
  --seed <n>                    global seed (default 1234)
  --epochs <n>                  maximum epochs instead of the profile's
  --steps-per-epoch <n>         batches per epoch instead of the profile's
  --batch-size <n>              batch size instead of the profile's
  --learning-rate <x>           initial Adam learning rate instead of the profile's
  -q, --quiet                   no progress bars
`,
  report: `rpdl report <out>

  Merges every finished run under <out> (from any number of shards) and writes report.md,
  report.csv, report.json and figures/*.png there; prints Tables I–IV.
`,
  baseline: `rpdl baseline [--data <dir> | --phantom-size <n>] [--profile quick|paper|smoke]

  Experiment 2's surgeon baseline (each surgeon against the other six) and the atlas baseline.
`,
  phantom: `rpdl phantom --out <dir> [--size 64] [--seed 2020] [--bones 9] [--surgeons 7]
`,
  predict: `rpdl predict --model <run dir> --input <file.npy> [--output <file.npy>] [--backend …]

  Loads the run's best weights and writes the thresholded prediction (.npy, uint8) and a PNG preview.
`,
};

/** `rpdl: <message>`, unless the message already names the command (`rpdl report: …`). */
function errorLine(message: string): string {
  return message.startsWith('rpdl ') ? `${message}\n` : `rpdl: ${message}\n`;
}

function usage(topic?: string): string {
  return USAGE[topic ?? 'main'] ?? USAGE.main!;
}

async function dispatch(args: CliArgs, io: CliIo): Promise<number> {
  switch (args.command) {
    case 'help':
      io.stdout.write(usage(args.topic));
      return 0;
    case 'reproduce':
      return reproduce(args, io);
    case 'report':
      return reportCommand(args, io);
    case 'baseline':
      return baselineCommand(args, io);
    case 'phantom':
      return phantomCommand(args, io);
    case 'predict':
      return predictCommand(args, io);
  }
}

/**
 * Entry point of the `rpdl` binary; returns the exit code (0 ok, 1 failure, 2 usage error).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
  const streams: CliIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    ...(io?.importer ? { importer: io.importer } : {}),
  };
  let args: CliArgs;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      const [first] = argv;
      const topic = first?.startsWith('-') ? 'reproduce' : first;
      streams.stderr.write(`${errorLine(error.message)}\n${usage(topic)}`);
      return 2;
    }
    throw error;
  }
  // Production mode silences tfjs's console hints (e.g. "install tfjs-node"): the CLI prints
  // its own backend line, with install instructions when a requested backend is missing.
  env().set('PROD', true);
  try {
    return await dispatch(args, streams);
  } catch (error) {
    if (error instanceof UsageError) {
      streams.stderr.write(errorLine(error.message));
      return 2;
    }
    if (error instanceof BackendUnavailableError) {
      streams.stderr.write(errorLine(error.message));
      return 1;
    }
    throw error;
  }
}
