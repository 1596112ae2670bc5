/**
 * The review queue over HTTP (registered under /review): list, one pair with its explanation, accept,
 * reject; and unmerge (under /records). Decisions are
 * recorded under the key's name and take effect at the next link run, as from the command line.
 * Citizen IDs and phones are masked in the pair view: a reviewer compares them, nobody needs them whole.
 */
import { maskCitizenIdPair } from '../../clean/citizen-id.js';
import { maskPhone } from '../../clean/phone.js';
import { vaccineNameVi } from '../../clean/vaccine.js';
import type { Database } from '../../db/database.js';
import { recordDecision, unmergeRecord } from '../../link/decisions.js';
import { explainPair } from '../../link/explain.js';
import { communeHolds } from '../../link/commune-holds.js';
import { reviewQueue } from '../../link/review.js';
import { clustersOf, queueReasons, reasonVi } from '../../link/review-reasons.js';
import { ruleReasonVi } from '../../../matchers/index.js';
import { firstMissingRecord, type LinkRow, type RecordRef } from '../../link/rows.js';
import { callerOf } from '../auth.js';
import type { RouteGroup } from '../context.js';
import { notFound } from '../errors.js';
import { ErrorBody } from '../schemas.js';
import { ClusterDecisionBody, CommuneHoldsAnswer, DecisionAnswer, PairAnswer, PairParams, RecordParams, ReviewListAnswer, ReviewQuery } from './review.schemas.js';

const REVIEWERS = ['reviewer', 'operator'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const pairResource = (p: Record<string, string>) => `pair:${p.a}/${p.b}`;
const AT_NEXT_LINK = 'takes effect at the next link run';

export const reviewRoutes: RouteGroup = async (app, { context: { database } }) => {
  app.get(
    '',
    {
      config: { access: { roles: REVIEWERS, action: 'read.review' } },
      schema: { summary: 'Pairs to review, most likely matches first', querystring: ReviewQuery, response: { 200: ReviewListAnswer, ...errors } },
    },
    async (request) => {
      const queue = await reviewQueue(database, { limit: request.query.limit });
      const reasons = await queueReasons(database, queue.items);
      const clusters = clustersOf(queue.items);
      return { total: queue.total, items: queue.items.map((i, k) => ({ ...i, reasonVi: reasons.get(`${i.a}/${i.b}`) ?? null, cluster: clusters[k]! })) };
    },
  );

  for (const [verb, decision] of [['accept', 'same'], ['reject', 'different']] as const) {
    app.post(
      `/cluster/${verb}`,
      {
        config: { access: { roles: REVIEWERS, action: `review.cluster_${verb}`, resource: () => 'pairs' } },
        schema: {
          summary: verb === 'accept' ? 'Decide that every pair of a cluster is the same person' : 'Decide that the records of every pair of a cluster are different people',
          body: ClusterDecisionBody,
          response: { 200: DecisionAnswer, ...errors },
        },
      },
      async (request) => {
        const pairs = request.body.pairs.map((text) => text.split('/').map((ref) => {
          const [batch, row] = ref.split(':').map(Number) as [number, number];
          return { batch, row };
        }) as [RecordRef, RecordRef]);
        await assertRecords(database, pairs.flat());
        // One decision row per pair, as if each were decided alone; the audit row names the pairs (ids only).
        for (const [a, b] of pairs) await recordDecision(database, a, b, decision, callerOf(request).name);
        request.auditResource = `pairs:${request.body.pairs.join(',')}`;
        return { recorded: decision, pairs: pairs.length, note: AT_NEXT_LINK };
      },
    );
  }

  app.get(
    '/communes',
    {
      config: { access: { roles: REVIEWERS, action: 'read.commune_holds' } },
      schema: {
        summary: "People whose move to another commune rests on one station's rows: kept where they were, for the working group",
        querystring: ReviewQuery,
        response: { 200: CommuneHoldsAnswer, ...errors },
      },
    },
    async (request) => communeHolds(database, { limit: request.query.limit }),
  );

  app.get(
    '/:a/:b',
    {
      config: { access: { roles: REVIEWERS, action: 'read.pair', resource: pairResource } },
      schema: { summary: 'One pair side by side with the waterfall of its score', params: PairParams, response: { 200: PairAnswer, ...errors } },
    },
    async (request) => {
      const { a, b } = request.params;
      await assertRecords(database, [a, b]);
      const e = await explainPair(database, a, b);
      const citizenIds = maskCitizenIdPair(e.records[0].citizen_id, e.records[1].citizen_id);
      const side = (r: LinkRow, ref: RecordRef, personId: string | null, citizenId: string | null) => ({
        ref: `${ref.batch}:${ref.row}`,
        fullName: r.full_name,
        birthDate: r.birth_date,
        sex: r.sex,
        citizenId,
        phone: r.phone ? maskPhone(r.phone) : null,
        commune: r.commune_current,
        address: r.address,
        vaccine: r.vaccine_code,
        vaccineName: vaccineNameVi(r.vaccine_code),
        vaccinationDate: r.vaccination_date,
        doseNumber: r.dose_number,
        personId,
      });
      const [pa, pb] = e.persons;
      return {
        a: side(e.records[0], a, pa, citizenIds[0]),
        b: side(e.records[1], b, pb, citizenIds[1]),
        prior: e.score.prior,
        weight: e.score.weight,
        probability: e.score.probability,
        levels: e.score.levels.map((l) => ({ comparison: l.comparison, label: l.label, labelVi: l.labelVi, weight: l.weight, tfAdjustment: l.tfAdjustment })),
        veto: e.veto ? { ...e.veto, reasonVi: ruleReasonVi(e.veto.reason) } : null,
        reasonVi: reasonVi(e.score.levels, e.veto ? ruleReasonVi(e.veto.reason) : null),
        samePerson: pa !== null && pa === pb,
        linkRunId: e.linkRunId,
      };
    },
  );

  for (const [verb, decision] of [['accept', 'same'], ['reject', 'different']] as const) {
    app.post(
      `/:a/:b/${verb}`,
      {
        config: { access: { roles: REVIEWERS, action: `review.${verb}`, resource: pairResource } },
        schema: {
          summary: verb === 'accept' ? 'Decide that the two records are the same person' : 'Decide that the two records are different people',
          params: PairParams,
          response: { 200: DecisionAnswer, ...errors },
        },
      },
      async (request) => {
        const { a, b } = request.params;
        await assertRecords(database, [a, b]);
        await recordDecision(database, a, b, decision, callerOf(request).name);
        return { recorded: decision, pairs: 1, note: AT_NEXT_LINK };
      },
    );
  }
};

export const recordRoutes: RouteGroup = async (app, { context: { database } }) => {
  app.post(
    '/:ref/unmerge',
    {
      config: { access: { roles: REVIEWERS, action: 'review.unmerge', resource: (p) => `record:${p.ref}` } },
      schema: { summary: 'Take a record out of its person', params: RecordParams, response: { 200: DecisionAnswer, ...errors } },
    },
    async (request) => {
      const { ref } = request.params;
      await assertRecords(database, [ref]);
      const pairs = await unmergeRecord(database, ref, callerOf(request).name);
      return { recorded: 'different' as const, pairs, note: AT_NEXT_LINK };
    },
  );
};

/** 404 unless every ref names a record of a loaded batch. */
async function assertRecords(database: Database, refs: readonly RecordRef[]): Promise<void> {
  const missing = await firstMissingRecord(database, refs);
  if (missing) throw notFound(`record ${missing.batch}:${missing.row}`);
}
