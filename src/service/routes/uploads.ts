/**
 * POST /uploads (registered under /uploads): a station's file (multipart) or JSON batch, imported at once, answered with the batch id
 * and every row's fixes and problems. GET /uploads/template: the input template to fill in (src/ingest/template.ts).
 *
 * A station key's rows whose commune is not the station's are kept and reported (`commune.outside_station`):
 * people are vaccinated where they work or study, and a dose dropped for its address would be a dose lost.
 * The station still reads back only its own batches, and people of its own commune.
 */
import path from 'node:path';
import { z } from 'zod';
import { VaxsyncError } from '../../base/errors.js';
import { today } from '../../config.js';
import { callerOf, stationScope } from '../auth.js';
import type { RouteGroup } from '../context.js';
import { tooLarge } from '../errors.js';
import { ErrorBody } from '../schemas.js';
import { batchCorrections, batchProblems, claimUpload, discardStaged, importUpload, markRowsOutsideCommune, repeatNotice, rowsMatchingOtherCommune, safeFileName, saveJsonRows, saveStream, stageDir, type StagedUpload } from '../upload.js';
import { findRepeatedInput } from '../../ingest/batches.js';
import { inputTemplate } from '../../ingest/template.js';
import { JsonUploadBody, RefusedUpload, TemplateQuery, UploadAnswer, UploadForm } from './uploads.schemas.js';

export const uploadRoutes: RouteGroup = async (app, { context: { database, config, importQueue } }) => {
  app.post(
    '',
    {
      // JSON batches are parsed in memory, within the same limit; large files should come as multipart.
      bodyLimit: config.uploadMaxBytes,
      config: { access: { roles: ['station', 'operator'], action: 'upload' } },
      schema: {
        summary: 'Upload a CSV/XLSX file (multipart field "file") or a JSON batch; get the batch id and each row\'s problems',
        consumes: ['multipart/form-data', 'application/json'],
        // Per media type: Fastify validates a JSON body with zod and leaves a multipart one to the handler.
        body: { content: { 'application/json': { schema: JsonUploadBody } } },
        multipartForm: UploadForm,
        response: { 200: UploadAnswer, 400: z.union([RefusedUpload, ErrorBody]), 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 413: ErrorBody },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = stationScope(request);
      const dir = await stageDir();
      try {
        let staged: StagedUpload;
        const fromJson = !request.isMultipart();
        if (!fromJson) {
          // Every part is read: a second file is refused, never silently dropped (issue 15, finding 6).
          let first: StagedUpload | undefined;
          for await (const part of request.parts()) {
            if (part.type !== 'file') continue;
            if (first) {
              part.file.resume();
              throw new VaxsyncError('upload.several_files', `the upload holds more than one file ("${path.basename(first.file)}", "${safeFileName(part.filename, 'upload')}"); send one file per upload. Nothing was imported`);
            }
            first = await saveStream(dir, part.filename, part.file);
            // The parser stops the file at the limit and marks it truncated; what was kept is discarded.
            if (part.file.truncated) throw tooLarge(config.uploadMaxBytes);
          }
          if (!first) throw new VaxsyncError('upload.no_file', 'the multipart body has no file field');
          staged = first;
        } else {
          if (!isJson(request.headers['content-type'])) throw new VaxsyncError('request.unsupported_media', 'send the file as multipart/form-data or the batch as application/json');
          // Validated against JsonUploadBody by Fastify (the per-media-type schema is beyond the type provider's inference).
          const body = request.body as z.output<typeof JsonUploadBody> | undefined;
          if (!body) throw new VaxsyncError('request.invalid', 'body: send a file as multipart/form-data (field "file") or JSON { "rows": [...] }');
          staged = await saveJsonRows(dir, body.rows);
        }
        const release = claimUpload(staged, scope?.station ?? null);
        const imported = await importQueue(() => importUpload(database, staged, scope?.station ?? null, today(config), `key:${caller.name}`))
          .catch((error: unknown) => {
            if (error instanceof VaxsyncError && typeof error.details.batchId === 'number') request.auditResource = `batch:${error.details.batchId}`;
            throw error;
          })
          .finally(release);
        request.auditResource = `batch:${imported.batchId}`;
        if (scope) await markRowsOutsideCommune(database, imported.batchId, scope.commune);
        const otherCommune = scope ? await rowsMatchingOtherCommune(database, imported.batchId, scope.commune) : null;
        const problems = await batchProblems(database, imported.batchId, { includeFixes: true });
        const repeated = repeatNotice(await findRepeatedInput(database, imported.batchId), config.timezone);
        const corrections = await batchCorrections(database, imported.batchId);
        return { ...imported, problems: fromJson ? problems.map((p) => ({ ...p, index: p.row - 2 })) : problems, otherCommune, repeated, corrections };
      } finally {
        await discardStaged(dir);
      }
    },
  );

  app.get(
    '/template',
    {
      config: { access: { roles: ['station', 'operator'], action: 'read.template' } },
      schema: {
        summary: 'The input template: the contract\'s columns under the Vietnamese headers the upload reads back (XLSX with a guide, or CSV)',
        querystring: TemplateQuery,
        response: { 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      reply.header('content-disposition', `attachment; filename="mau-nhap-tiem-chung.${format}"`);
      // A file, sent as is past the JSON serializer (the response schema lists the error answers only).
      return reply.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8').send((await inputTemplate(format)) as never);
    },
  );
};

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
