/**
 * GET /batches/:id, /batches/:id/quality, /batches/:id/marked-up.xlsx and /batches/:id/corrections (registered
 * under /batches): a station reads its own batches only.
 */
import type { Database } from '../../db/database.js';
import { readBatch } from '../../ingest/batches.js';
import { VaxsyncError } from '../../base/errors.js';
import { markedUpBatch } from '../../report/marked-up.js';
import { XLSX_CONTENT_TYPE } from '../../base/xlsx-stream.js';
import { fieldQuality, problemCounts } from '../../report/quality.js';
import { stationScope, type StationScope } from '../auth.js';
import type { RouteGroup } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { ErrorBody } from '../schemas.js';
import { batchCorrections, batchProblems } from '../upload.js';
import { BatchAnswer, BatchParams, CorrectionsAnswer, QualityAnswer, QualityQuery } from './batches.schemas.js';

const ALL_ROLES = ['station', 'reviewer', 'operator'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const batchRoutes: RouteGroup = async (app, { context: { database } }) => {
  app.get(
    '/:id',
    {
      config: { access: { roles: ALL_ROLES, action: 'read.batch', resource: (p) => `batch:${p.id}` } },
      schema: { summary: 'A batch: status and counts', params: BatchParams, response: { 200: BatchAnswer, ...errors } },
    },
    async (request) => {
      const batch = await readableBatch(database, request.params.id, stationScope(request));
      return {
        id: batch.id,
        fileName: batch.file_name,
        format: batch.format,
        source: batch.source,
        stationCode: batch.station_code,
        status: batch.status,
        rows: batch.row_count,
        quarantined: batch.quarantined_count,
        error: batch.error,
        startedAt: batch.started_at.toISOString(),
        finishedAt: batch.finished_at?.toISOString() ?? null,
      };
    },
  );

  app.get(
    '/:id/quality',
    {
      config: { access: { roles: ALL_ROLES, action: 'read.quality', resource: (p) => `batch:${p.id}` } },
      schema: {
        summary: "A batch's quality: per field counts, problem counts, and the row-level problems (raw values as typed)",
        params: BatchParams,
        querystring: QualityQuery,
        response: { 200: QualityAnswer, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      await readableBatch(database, id, stationScope(request));
      const { includeFixes, limit, offset } = request.query;
      const [fields, counts, problems] = await Promise.all([
        fieldQuality(database, { batchId: id }),
        problemCounts(database, { batchId: id }),
        batchProblems(database, id, { includeFixes, limit, offset }),
      ]);
      return { batchId: id, fields, counts: includeFixes ? counts : counts.filter((c) => c.severity !== 'fix'), problems };
    },
  );

  app.get(
    '/:id/marked-up.xlsx',
    {
      config: { access: { roles: ALL_ROLES, action: 'read.marked_up', resource: (p) => `batch:${p.id}` } },
      schema: {
        summary: "The station's own file (a CSV as XLSX) with the problem cells coloured and a comment in Vietnamese on each, to fix and upload again",
        params: BatchParams,
        response: { ...errors, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await readableBatch(database, id, stationScope(request));
      const file = await markedUpBatch(database, id);
      if (!file) throw new VaxsyncError('upload.not_loaded', `batch ${id} did not load: there is no data to mark up; its error says why`);
      reply.header('content-disposition', contentDisposition(file.fileName));
      // A file, sent as it is written, past the JSON serializer (the response schema lists the error answers only).
      return reply.type(XLSX_CONTENT_TYPE).send(file.body as never);
    },
  );

  app.get(
    '/:id/corrections',
    {
      config: { access: { roles: ALL_ROLES, action: 'read.corrections', resource: (p) => `batch:${p.id}` } },
      schema: {
        summary: "The earlier rows this batch's rows replaced (same station and record_id): what changed, who sent the fix and when",
        params: BatchParams,
        response: { 200: CorrectionsAnswer, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      await readableBatch(database, id, stationScope(request));
      return { batchId: id, corrections: await batchCorrections(database, id) };
    },
  );
};

/** An attachment named by the station's own file name (Vietnamese letters kept, RFC 6266/5987). */
function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The batch, if it exists and the caller may read it: 404, or 403 for another station's batch. */
async function readableBatch(database: Database, id: number, scope: StationScope | null) {
  const batch = await readBatch(database, id);
  if (!batch) throw notFound(`batch ${id}`);
  // Batch ids are sequential numbers: saying that one exists tells nothing, so the refusal is explicit.
  if (scope && batch.station_code !== scope.station) throw forbidden('this batch was not uploaded by your station');
  return batch;
}
