/**
 * The `vaxsync` command line. Each command is a thin shell over a library function: parse options,
 * open the database, call, print.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { calendarDateProblem } from '../base/calendar-date.js';
import { VaxsyncError } from '../base/errors.js';
import { ConfigError, today, type Config } from '../config.js';
import { cliConfig, withDatabase } from './database.js';
import { debugRequested, reportFailure } from './errors.js';
import { importFiles } from './import.js';
import { writeTemplate } from './template.js';
import { listBatches, formatBatches } from './batches.js';
import { runDemo } from './demo.js';
import { QUALITY_COMMAND_NOTICE, runProblems, type ProblemsCliOptions } from './problems.js';
import { runDedupe } from './dedupe.js';
import { linkAll } from '../link/link.js';
import { runSynth } from './synth.js';
import { SYNTH_MODES, type SynthMode } from '../synth/types.js';
import { runEvaluate } from './evaluate.js';
import { explainPair, formatExplanation, resolveRecord } from '../link/explain.js';
import { communeHolds, formatCommuneHolds } from '../link/commune-holds.js';
import { formatReviewQueue, reviewQueue } from '../link/review.js';
import { recordDecision, unmergeRecord } from '../link/decisions.js';
import { runReconcile, type ReconcileCliOptions } from './reconcile.js';
import { runPlatformGap } from './platform-gap.js';
import { runOutbox, runPush, type PushCliOptions } from './push.js';
import { runReport, type ReportCliOptions } from './report.js';
import { personPage, personPageText } from '../report/person-page.js';
import { importTargets, TargetImportError } from '../report/targets.js';
import { formatRegistryConflicts, registryConflicts } from '../reconcile/conflicts.js';
import { runRegistrySimulator } from '../../connectors/registry/simulator.js';
import { runPlatformSimulator } from '../../connectors/platform/simulator.js';
import { REPORT_FORMATS } from '../report/format.js';
import { REPORT_KINDS } from '../report/programme.js';
import { runNow } from './run-now.js';
import { runServe } from '../service/serve.js';
import { createApiKey, formatApiKeys, KeyError, listApiKeys, revokeApiKey } from '../service/keys.js';

const log = (line: string): void => {
  process.stdout.write(line + '\n');
};

function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a share between 0 and 1');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** A calendar date, by the same strict rule as the API's `?date=` (commander names the option and the value). */
function calendarDate(value: string): string {
  const problem = calendarDateProblem(value);
  if (problem !== null) throw new InvalidArgumentError(`The date ${problem}.`);
  return value;
}

/** A flag given on the command line, else the configured value, else a ConfigError naming both. */
function required<T>(flagValue: T | undefined, configured: T | undefined, flag: string, variable: string): T {
  const value = flagValue ?? configured;
  if (value === undefined) throw new ConfigError(`${flag} is needed (or set ${variable})`);
  return value;
}

/** `--by`'s default: the configured user (USER), read when the command runs. */
const decidedBy = (by: string | undefined, config: Config): string => by ?? config.user;

export function buildProgram(): Command {
  const program = new Command('vaxsync')
    .description('Clean, deduplicate and synchronize Vietnamese vaccination records.')
    // Usage errors throw (to main's one handler) instead of exiting; set before the commands, which inherit it.
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nDatabase: PostgreSQL when DATABASE_URL is set, otherwise an embedded PostgreSQL in ./.vaxsync (VAXSYNC_DATA_DIR).' +
        '\nExit codes: 0 done, 2 the command or its input must be fixed, 1 a fault (VAXSYNC_DEBUG=1 prints stacks).',
    );

  program
    .command('demo')
    .description('run the whole job on a generated sample, on the embedded database by default')
    .option('--persons <n>', 'people in the generated sample', positiveInt, 2000)
    .option('--seed <n>', 'seed of the generated sample', positiveInt, 1)
    .action((opts: { persons: number; seed: number }) => withDatabase((db, config) => runDemo(db, config, opts, log)));

  program
    .command('import')
    .description('store, clean and check station files (CSV or XLSX)')
    .argument('<files...>', 'CSV or XLSX files following the record contract')
    .option('--source <name>', 'where the file comes from (station, campaign, platform-export, …)')
    .option('--station <code>', 'code of the health station that sent the file')
    .action((files: string[], opts: { source?: string; station?: string }) =>
      withDatabase(async (db, config) => {
        await importFiles(db, files, { ...opts, today: today(config) }, log);
      }),
    );

  program
    .command('template')
    .description('write the input template for stations: the contract\'s columns under Vietnamese headers, with a guide to each')
    .requiredOption('--out <file>', 'FILE.xlsx (a sheet to fill in and a guide) or FILE.csv (the header row)')
    .action((opts: { out: string }) => writeTemplate(opts.out, log));

  program
    .command('batches')
    .description('list imported files with their status and row counts')
    .action(() => withDatabase(async (db) => log(formatBatches(await listBatches(db)))));

  // `problems` was called `quality`, easily confused with `report quality`; the old name stays as a hidden
  // alias for scripts, with a notice on stderr (stdout stays what scripts parse).
  for (const name of ['problems', 'quality'] as const) {
    program
      .command(name, { hidden: name === 'quality' })
      .description(
        name === 'problems'
          ? 'per-field data-quality counts, and the row-level problems for stations to correct'
          : 'deprecated name of "problems"',
      )
      .option('--batch <id>', 'one batch only', positiveInt)
      .option('--out <file.csv>', 'write the row-level problems (file, row, field, raw value, problem)')
      .option('--include-fixes', 'list automatic fixes too, not only problems')
      .option('--marked-up <file.xlsx>', "with --batch: write the station's own file with the problem cells coloured and commented in Vietnamese")
      .action((opts: ProblemsCliOptions) => {
        if (name === 'quality') process.stderr.write(`${QUALITY_COMMAND_NOTICE}\n`);
        return withDatabase((db) => runProblems(db, opts, log));
      });
  }

  program
    .command('dedupe')
    .description('import, clean and deduplicate a file; write record_id,person_id,dose_id for each of its rows')
    .argument('<input>', 'CSV or XLSX file following the record contract')
    .requiredOption('--out <file.csv>', 'where to write record_id,person_id,dose_id')
    .option('--source <name>', 'where the file comes from', 'dedupe')
    .option('--candidates <file.csv>', 'also write the candidate pairs blocking proposed, record_id_a,record_id_b (for evaluate --candidates)')
    .action((input: string, opts: { out: string; source: string; candidates?: string }) =>
      withDatabase((db, config) => runDedupe(db, input, { ...opts, today: today(config) }, log)),
    );

  program
    .command('link')
    .description('link newly imported batches (and people reopened by review decisions) against the people already known')
    .option('--full', 'relink every record and re-estimate the model instead')
    .action((opts: { full?: boolean }) =>
      withDatabase(async (db) => {
        // Each step as it ends, on stderr: a million-row run takes minutes, and the steps say where it is.
        const link = await linkAll(db, {}, { full: opts.full ?? false, onStep: (step, seconds) => process.stderr.write(`link: ${step} ${seconds.toFixed(1)} s\n`) });
        if (link.changed === 0) {
          log(`nothing new to link: ${link.records} records, ${link.persons} people, ${link.doses} doses (link run ${link.runId})`);
          return;
        }
        log(
          `${link.mode} link run ${link.runId}: ${link.changed} of ${link.records} records linked (${link.quarantined} quarantined in all), ` +
            `${link.personsWritten} people written → ${link.persons} people, ${link.doses} doses; ` +
            `${link.pairsCompared} pairs compared, ${link.accepted} accepted, ${link.review} for review, ${link.vetoed} vetoed`,
        );
        if (link.communeHolds > 0) log(`  ${link.communeHolds} moves to another commune held for review: vaxsync review communes`);
        for (const warning of link.warnings) log(`  warning: ${warning}`);
      }),
    );

  program
    .command('person')
    .description('one person\'s doses, each valid or not and why, and the doses due next (in Vietnamese)')
    .argument('<id>', 'a person id as dedupe writes it (P123)')
    .option('--date <yyyy-mm-dd>', 'the date to judge on (default: today in VAXSYNC_TIMEZONE)', calendarDate)
    .action((id: string, opts: { date?: string }) =>
      withDatabase(async (db, config) => {
        const page = await personPage(db, id, opts.date ?? today(config), config.covidCampaignEnd);
        if (!page) throw new VaxsyncError('cli.invalid_option', `no person ${JSON.stringify(id)}`);
        log(personPageText(page));
      }),
    );

  program
    .command('explain')
    .description('why two records were linked or not: each comparison\'s level and weight, the total, the hard rules')
    .argument('<a>', 'a record: batch:row, or a record_id that is unique among loaded batches')
    .argument('<b>', 'the other record')
    .action((a: string, b: string) =>
      withDatabase(async (db) => {
        const explanation = await explainPair(db, await resolveRecord(db, a), await resolveRecord(db, b));
        log(formatExplanation(explanation));
      }),
    );

  const review = program.command('review').description('the queue of pairs for the working groups to decide');
  review
    .command('list')
    .description('pairs scored between the review and accept thresholds, most likely first')
    .option('--limit <n>', 'pairs to show', positiveInt, 50)
    .action((opts: { limit: number }) =>
      withDatabase(async (db) => {
        log(formatReviewQueue(await reviewQueue(db, opts)));
        const conflicts = await registryConflicts(db, { limit: 0 });
        if (conflicts.total > 0) log(`\n${conflicts.total} people conflict with the population registry: vaxsync review conflicts`);
        const holds = await communeHolds(db, { limit: 0 });
        if (holds.total > 0) log(`${holds.total} moves to another commune rest on one station's rows: vaxsync review communes`);
      }),
    );
  review
    .command('communes')
    .description("people whose move to another commune rests on one station's rows: kept where they were (from link)")
    .option('--limit <n>', 'people to show', positiveInt, 50)
    .action((opts: { limit: number }) => withDatabase(async (db) => log(formatCommuneHolds(await communeHolds(db, opts)))));
  review
    .command('conflicts')
    .description('people whose citizen ID the population registry gives to someone else (from reconcile)')
    .option('--limit <n>', 'people to show', positiveInt, 50)
    .action((opts: { limit: number }) => withDatabase(async (db) => log(formatRegistryConflicts(await registryConflicts(db, opts)))));
  review
    .command('show')
    .description('one pair side by side with its explanation (same as explain)')
    .argument('<a>', 'a record: batch:row or record_id')
    .argument('<b>', 'the other record')
    .action((a: string, b: string) =>
      withDatabase(async (db) => log(formatExplanation(await explainPair(db, await resolveRecord(db, a), await resolveRecord(db, b))))),
    );

  const decide = (decision: 'same' | 'different') => (a: string, b: string, opts: { by?: string }) =>
    withDatabase(async (db, config) => {
      await recordDecision(db, await resolveRecord(db, a), await resolveRecord(db, b), decision, decidedBy(opts.by, config));
      log(`recorded: ${decision === 'same' ? 'the same person' : 'different people'}; it takes effect at the next \`vaxsync link\``);
    });
  for (const [name, decision, meaning] of [
    ['accept', 'same', 'the same person (kept together by every later link run)'],
    ['reject', 'different', 'different people (kept apart by every later link run)'],
  ] as const) {
    review
      .command(name)
      .description(`decide that two records are ${meaning}`)
      .argument('<a>', 'a record: batch:row or record_id')
      .argument('<b>', 'the other record')
      .option('--by <name>', 'who decides (kept with the decision; default: USER)')
      .action(decide(decision));
  }

  program
    .command('unmerge')
    .description('take a record out of its person: it becomes its own person at the next link run')
    .argument('<record>', 'batch:row or record_id')
    .option('--by <name>', 'who decides (kept with the decision; default: USER)')
    .action((record: string, opts: { by?: string }) =>
      withDatabase(async (db, config) => {
        const pairs = await unmergeRecord(db, await resolveRecord(db, record), decidedBy(opts.by, config));
        log(`recorded ${pairs} "different people" decisions; it takes effect at the next \`vaxsync link\``);
      }),
    );

  program
    .command('push')
    .description('send every verified, not yet acknowledged person and their doses to the national platform (FHIR R4)')
    .option('--platform <url>', 'FHIR base URL of the platform (default: PLATFORM_URL)')
    .option('--token <token>', 'bearer token (default: PLATFORM_TOKEN)')
    .option('--bundle-persons <n>', 'people per transaction bundle', positiveInt, 50)
    .option('--concurrency <n>', 'bundles in flight at once', positiveInt, 4)
    .option('--timeout-ms <n>', 'how long to wait for an answer', positiveInt, 30_000)
    .option('--lease-seconds <n>', 'how long a person claimed by a live run that stopped progressing waits before another run takes it over (a dead run\'s claims are taken back at once)', positiveInt, 300)
    .option('--retry-failed-after <seconds>', 'when a person the platform could not take may be tried again', nonNegativeInt, 600)
    .addHelpText(
      'after',
      '\nExit codes:\n' +
        '  0  every verified person is on the platform, or was rejected with the platform\'s reason (vaxsync outbox --state rejected)\n' +
        '  1  fault: the platform refused a whole bundle, the database is unreachable\n' +
        '  2  to fix: a bad option, the platform refused the credentials\n' +
        '  3  verified people remain unsent without a reason (failed after the retries, or waiting for their next try): run again later\n' +
        '  4  nothing failed here, but another live push run still holds people (the summary names it); it is sending them',
    )
    .addHelpText('after', '\nA child without a CCCD or CMND is sent with its guardian only when VAXSYNC_PUSH_GUARDIAN=children-without-id.')
    .action((opts: Omit<PushCliOptions, 'platform' | 'guardian'> & { platform?: string }) => {
      // Resolved before the database is opened: a missing platform is refused at once.
      const config = cliConfig();
      const platform = required(opts.platform, config.platformUrl, '--platform', 'PLATFORM_URL');
      const token = opts.token ?? config.platformToken;
      return withDatabase(async (db) => {
        process.exitCode = await runPush(db, { ...opts, platform, guardian: config.pushGuardian, ...(token ? { token } : {}) }, log);
      });
    });

  program
    .command('platform-gap')
    .description('compare an export of what the national platform holds with the verified people and doses, list what it lacks and queue those people for push')
    .requiredOption('--export <file>', 'the platform\'s export (CSV or XLSX): citizen_id (CCCD/CMND) or person_id (the vaxsync id it was sent), vaccine, date')
    .option('--out <file>', 'write the list of missing people and doses (CSV, UTF-8)')
    .option('--dry-run', 'list only: queue nothing')
    .action((opts: { export: string; out?: string; dryRun?: boolean }) =>
      withDatabase((db, config) => runPlatformGap(db, { ...opts, guardian: config.pushGuardian }, log)),
    );

  program
    .command('outbox')
    .description('what waits to be pushed, and what the platform rejected and why')
    .option('--state <states>', 'comma-separated states to list (pending, in_flight, failed, rejected, acknowledged)')
    .option('--limit <n>', 'people to list', positiveInt, 50)
    .action((opts: { state?: string; limit: number }) => withDatabase((db) => runOutbox(db, opts, log)));

  program
    .command('simulate-platform')
    .description('serve a national-platform FHIR endpoint that stores what it receives, with optional faults (demos, tests)')
    .option('--port <n>', 'port on 127.0.0.1', positiveInt, 8090)
    .option('--token <token>', 'bearer token clients must send (none by default)')
    .option('--error-rate <share>', 'share of requests answered 500', share, 0)
    .option('--rate-429 <share>', 'share of requests answered 429 with Retry-After', share, 0)
    .option('--drop-rate <share>', 'share of connections dropped before processing', share, 0)
    .option('--drop-after-processing-rate <share>', 'share of bundles applied, then their connection dropped', share, 0)
    .option('--timeout-rate <share>', 'share of requests never answered', share, 0)
    .option('--reject-rate <share>', 'share of entries rejected with an OperationOutcome', share, 0)
    .option('--latency-ms <n>', 'delay before every answer', nonNegativeInt, 0)
    .action(async (opts: { port: number; token?: string; errorRate: number; rate429: number; dropRate: number; dropAfterProcessingRate: number; timeoutRate: number; rejectRate: number; latencyMs: number }) => {
      await runPlatformSimulator(
        {
          port: opts.port,
          ...(opts.token ? { token: opts.token } : {}),
          faults: {
            errorRate: opts.errorRate, rate429: opts.rate429, dropRate: opts.dropRate, dropAfterProcessingRate: opts.dropAfterProcessingRate,
            timeoutRate: opts.timeoutRate, rejectRate: opts.rejectRate, latencyMs: opts.latencyMs,
          },
        },
        log,
      );
    });

  program
    .command('report')
    .description(
      'the programme reports: coverage by age group and dose, call lists by village, daily progress, the daily report per commune and ' +
        'site, the monthly childhood-programme report, đúng/đủ/sạch/sống',
    )
    .argument('<kind>', `${REPORT_KINDS.slice(0, -1).join(', ')} or ${REPORT_KINDS.at(-1)}`)
    .option('--commune <code>', 'one commune (current code; for daily, monthly, quality: its code on the chosen --map)')
    .option('--date <yyyy-mm-dd>', 'the report date (default: today in VAXSYNC_TIMEZONE)', calendarDate)
    .option('--month <yyyy-mm>', 'monthly: the month (default: the report date\'s)')
    .option('--site <code>', 'daily: one vaccination site (facility code)')
    .option('--level <level>', 'daily, monthly, quality: commune, district or province')
    .option('--map <year>', 'daily, monthly, quality: 2025 (units since 1 July 2025) or 2024 (the old districts); default: the map of the report date')
    .option('--format <format>', `${REPORT_FORMATS.slice(0, -1).join(', ')} or ${REPORT_FORMATS.at(-1)}`, 'text')
    .option('--out <file>', 'write to a file instead of the terminal')
    .option('--age-from <years>', 'due: only people at least this old on the date', nonNegativeInt)
    .option('--age-to <years>', 'due: only people younger than this on the date (the 5–<18 lists: --age-from 5 --age-to 18)', nonNegativeInt)
    .option('--school <name>', 'due: only pupils of this school (part of its name)')
    .action((kind: string, opts: Omit<ReportCliOptions, 'date' | 'timeZone' | 'liveDays'> & { date?: string }) =>
      withDatabase((db, config) =>
        runReport(db, kind, { ...opts, date: opts.date ?? today(config), covidCampaignEnd: config.covidCampaignEnd, timeZone: config.timezone, liveDays: config.liveDays, reportUnit: config.reportUnit }, log),
      ),
    );

  program
    .command('targets')
    .description('target populations (số đối tượng / chỉ tiêu), the monthly report\'s denominators')
    .command('import')
    .description('import FILE.csv|xlsx with columns commune_code, year, group (under1, age18m), count; one bad row refuses the file')
    .argument('<file>')
    .action((file: string) =>
      withDatabase(async (db) => {
        try {
          log(`${await importTargets(db, file)} target figures imported from ${file}`);
        } catch (error) {
          throw error instanceof TargetImportError ? new ConfigError(error.message) : error;
        }
      }),
    );

  program
    .command('synth')
    .description('write a generated sample (records.csv) and its truth (truth.csv: record_id,person_id,dose_id)')
    .requiredOption('--persons <n>', 'people in the sample', positiveInt)
    .option('--seed <n>', 'seed of the sample', positiveInt, 1)
    .requiredOption('--out <dir>', 'folder for records.csv and truth.csv')
    .option('--registry', 'also write registry.csv (a population-registry extract) and registry-truth.csv (expected reconcile statuses)')
    .addOption(
      new Option('--mode <mode>', 'default; childhood (TCMR doses to 18 months, mothers, pre-naming rows, twins); retro-worst (2+ fields wrong per faulty row)')
        .choices([...SYNTH_MODES])
        .default('default'),
    )
    .action((opts: { persons: number; seed: number; out: string; registry?: boolean; mode: SynthMode }) => runSynth(opts, log));

  program
    .command('evaluate')
    .description('pairwise precision, recall and F1 of a dedupe output against the truth, per person and per dose')
    .requiredOption('--truth <file.csv>', 'record_id,person_id,dose_id of the truth')
    .requiredOption('--pred <file.csv>', 'record_id,person_id,dose_id to score')
    .option('--registry-truth <file.csv>', 'person_id,citizen_id,status,fields expected of reconcile (synth --registry)')
    .option('--reconciled <file.csv>', 'person_id,citizen_id,status,fields written by reconcile --out')
    .option('--candidates <file.csv>', 'record_id_a,record_id_b written by dedupe --candidates: the share of truth pairs blocking proposed, and pairs per record')
    .action((opts: { truth: string; pred: string; registryTruth?: string; reconciled?: string; candidates?: string }) => runEvaluate(opts, log));

  program
    .command('reconcile')
    .description('check people against the population registry: verified, corrected, conflict, not_found, no_id, deceased')
    .option('--registry <source>', 'a registry extract (CSV/XLSX), an http(s):// registry service, or a postgres:// database with --table (default: REGISTRY_SOURCE)')
    .option('--out <file.csv>', 'write person_id,citizen_id,status,fields')
    .option('--summary-out <file.csv>', 'write the counts per status and commune')
    .option('--all', 'check everyone again, not only new, changed or stale people')
    .option('--max-age-days <n>', 're-check people whose check is older than this (default: VAXSYNC_RECHECK_DAYS)', positiveInt)
    .option('--token <token>', 'token of the registry service (default: REGISTRY_TOKEN)')
    .option('--table <name>', 'table or view of the registry database (default: REGISTRY_TABLE)')
    .option('--columns <json>', 'registry database column names by contract field, as JSON')
    .action((opts: Omit<ReconcileCliOptions, 'registry'> & { registry?: string }) => {
      // Resolved before the database is opened: a missing registry is refused at once.
      const config = cliConfig();
      const token = opts.token ?? config.registryToken;
      const table = opts.table ?? config.registryTable;
      const resolved: ReconcileCliOptions = {
        ...opts,
        registry: required(opts.registry, config.registry, '--registry', 'REGISTRY_SOURCE'),
        maxAgeDays: opts.maxAgeDays ?? config.recheckDays,
        ...(token ? { token } : {}),
        ...(table ? { table } : {}),
      };
      return withDatabase((db) => runReconcile(db, resolved, log));
    });

  program
    .command('simulate-registry')
    .description('serve a registry extract over HTTP, as the registry service would (for demos and tests)')
    .requiredOption('--extract <file>', 'registry extract (CSV/XLSX) to serve')
    .option('--port <n>', 'port on 127.0.0.1', positiveInt, 8089)
    .option('--token <token>', 'token clients must send', 'demo-token')
    .action(async (opts: { extract: string; port: number; token: string }) => {
      await runRegistrySimulator({ entries: opts.extract, port: opts.port, token: opts.token }, log);
    });

  program
    .command('run-now')
    .description('run the nightly job once: import the inbox, link, reconcile, push, report (exit 2: another run holds the lock)')
    .addHelpText(
      'after',
      '\nThe stages, and the setting each needs (a stage without its setting is reported as skipped):' +
        '\n  import     VAXSYNC_INBOX_DIR: the folder of station files (files already imported are not imported again)' +
        '\n  link       always, once records are loaded' +
        '\n  reconcile  REGISTRY_SOURCE: a registry extract file, the registry service\'s http(s) URL (REGISTRY_TOKEN), or a postgres:// URL (REGISTRY_TABLE)' +
        '\n  push       PLATFORM_URL: the national platform\'s FHIR endpoint (PLATFORM_TOKEN)' +
        '\n  report     always: the day\'s summary into VAXSYNC_REPORTS_DIR (default: reports/ in the data folder)' +
        '\nSettings come from the environment or the VAXSYNC_CONFIG file (JSON); the README lists every one.',
    )
    .action(() =>
      withDatabase(async (db, config) => {
        process.exitCode = await runNow(db, config, log);
      }),
    );

  program
    .command('serve')
    .description('serve the HTTP API (VAXSYNC_HOST, VAXSYNC_PORT) and run the nightly job on its schedule, until SIGINT/SIGTERM')
    .action(() => runServe(cliConfig(), log));

  const keys = program.command('keys').description('API keys of the HTTP API (stored hashed; a secret is shown once)');
  keys
    .command('create')
    .description('create a key and print its secret, once')
    .requiredOption('--name <name>', 'unique name, recorded in the audit log')
    .requiredOption('--role <role>', 'station, reviewer, operator or police')
    .option('--station <code>', 'station code (role station): labels its uploads, limits reading to its batches')
    .option('--commune <code>', 'commune code (role station or police): the commune whose people it may read')
    .action((opts: { name: string; role: string; station?: string; commune?: string }) =>
      withDatabase(async (db) => {
        const { key, secret } = await createApiKey(db, opts);
        log(`created ${key.role} key ${key.name}; its secret (shown only now, keep it safe):`);
        log(secret);
      }),
    );
  keys
    .command('list')
    .description('list keys (names, roles, revocations; never secrets)')
    .action(() => withDatabase(async (db) => log(formatApiKeys(await listApiKeys(db)))));
  keys
    .command('revoke')
    .description('revoke a key: refused from its next request on')
    .requiredOption('--name <name>', 'the key to revoke')
    .action((opts: { name: string }) =>
      withDatabase(async (db) => {
        if (!(await revokeApiKey(db, opts.name))) throw new KeyError('key.not_found', `no active key named ${opts.name}`);
        log(`revoked ${opts.name}`);
      }),
    );

  program
    .command('migrate')
    .description('bring the database schema up to date (also done automatically by every command)')
    .action(() => withDatabase(async (db) => log(`schema up to date on ${db.description}`)));

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    process.exitCode = reportFailure(error, (text) => process.stderr.write(text), { debug: debugRequested() });
  }
}
