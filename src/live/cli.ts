// `sloforge check --prometheus URL` and `sloforge status --prometheus URL`. Exit codes are a
// contract for CI and deploy gates: 0 clean (or the --fail-when condition does not hold), 1
// problems found (or it holds), 2 when the answer cannot be trusted: Prometheus unreachable or
// answering an error, or the config not loading. Every failure is one line.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { EnvironmentError, UserError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { resolveModel } from '../model/resolve.js';
import { runCheck } from './check.js';
import { PrometheusClient, PrometheusError, type ClientOptions } from './client.js';
import { CHECK_FORMATS, formatCheck, formatStatus, STATUS_FORMATS, type CheckFormat, type StatusFormat } from './format.js';
import { FAIL_WHEN, failWhenHolds, runStatus, type FailWhen } from './status.js';

interface ConnectionFlags {
  prometheus: string;
  slos: string;
  bearerTokenFile?: string;
  basicAuthFile?: string;
  caFile?: string;
  timeout: number;
}

interface CheckFlags extends ConnectionFlags {
  format: CheckFormat;
  lookback: number;
  service?: string;
}

interface StatusFlags extends ConnectionFlags {
  format: StatusFormat;
  service?: string;
  failWhen?: FailWhen;
}

/** "10s", "1h", or a plain number of seconds. */
function durationMs(value: string): number {
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration such as 10s, 5m or 1h (or a number of seconds)');
  return ms;
}

function withConnection(cmd: Command): Command {
  return cmd
    .requiredOption('--prometheus <url>', 'base URL of the Prometheus HTTP API, e.g. http://localhost:9090')
    .option('--slos <dir>', 'folder whose index.ts default-exports the config', 'slos')
    .option('--bearer-token-file <file>', 'send the token in this file as Authorization: Bearer')
    .option('--basic-auth-file <file>', 'send user:password from this file as basic auth')
    .option('--ca-file <file>', "PEM CA certificate that signed Prometheus' TLS certificate")
    .option('--timeout <duration>', 'per request (10s, 1m, or seconds)', durationMs, 10_000);
}

function clientOf(flags: ConnectionFlags): PrometheusClient {
  const opts: ClientOptions = {
    url: flags.prometheus,
    bearerTokenFile: flags.bearerTokenFile,
    basicAuthFile: flags.basicAuthFile,
    caFile: flags.caFile,
    timeoutMs: flags.timeout,
  };
  return new PrometheusClient(opts);
}

/**
 * Runs a live command; any failure is one line on stderr and exit 2, whatever its class: exit 1
 * is the verdict of check and status (problems found, --fail-when holds).
 */
async function guarded(err: (s: string) => void, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof PrometheusError || e instanceof UserError || e instanceof EnvironmentError) {
      // A config error lists every problem, one per line; everything else is a single line.
      err(`error: ${e instanceof PrometheusError ? e.message.replace(/\s*\n\s*/g, ' ') : e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function check(flags: CheckFlags, out: (s: string) => void): Promise<number> {
  const loaded = await loadConfig(flags.slos);
  const model = resolveModel(loaded.config);
  const client = clientOf(flags);
  try {
    const report = await runCheck(client, model, { lookbackMs: flags.lookback, service: flags.service });
    out(formatCheck(report, flags.format, loaded, flags.prometheus));
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    client.close();
  }
}

async function status(flags: StatusFlags, out: (s: string) => void): Promise<number> {
  const loaded = await loadConfig(flags.slos);
  const model = resolveModel(loaded.config);
  const client = clientOf(flags);
  try {
    const rows = await runStatus(client, model, { service: flags.service });
    out(formatStatus(rows, flags.format, flags.prometheus));
    return flags.failWhen !== undefined && failWhenHolds(rows, flags.failWhen) ? 1 : 0;
  } finally {
    client.close();
  }
}

export function registerLiveCommands(program: Command, result: { code: number }): void {
  const io = () => {
    const o = program.configureOutput();
    return {
      out: o.writeOut ?? ((t: string) => process.stdout.write(t)),
      err: o.writeErr ?? ((t: string) => process.stderr.write(t)),
    };
  };
  withConnection(
    program
      .command('check')
      .description(
        'check the config against a running Prometheus: selectors match series, latency bounds are le buckets, group labels exist, threshold expressions return data (exit 1 on problems, 2 when Prometheus cannot answer)',
      ),
  )
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS).default('text'))
    .option('--lookback <duration>', 'how far back a selector must have matched series', durationMs, 3_600_000)
    .option('--service <name>', 'check only this service')
    .action(async (flags: CheckFlags) => {
      const { out, err } = io();
      result.code = await guarded(err, () => check(flags, out));
    });

  withConnection(
    program
      .command('status')
      .description(
        'per SLO: the SLI over the period, error budget left, burn rate per alert window and the alerts firing, from a running Prometheus',
      ),
  )
    .option('--service <name>', "only this service's SLOs")
    .addOption(new Option('--format <format>', 'output format').choices(STATUS_FORMATS).default('table'))
    .addOption(new Option('--fail-when <condition>', 'exit 1 when this holds for any selected SLO (a deploy gate)').choices(FAIL_WHEN))
    .action(async (flags: StatusFlags) => {
      const { out, err } = io();
      result.code = await guarded(err, () => status(flags, out));
    });
}
