/**
 * GET /reports/:kind (registered under /reports): the programme reports (src/report/programme.ts) as JSON
 * tables or as CSV, HTML and XLSX files; and GET /me: who the key belongs to, and the service's today (the
 * console's sign-in check, and its default report date).
 *
 * A station key's reports are always of its own commune, whatever commune it asks for. Reports are
 * audited: the call list (`due`) holds names and phones.
 */
import { today } from '../../config.js';
import { documentReport, isDocumentKind } from '../../report/documents.js';
import { renderDocument, renderReport, type RenderedReport } from '../../report/format.js';
import { UnitError } from '../../report/units.js';
import { REPORTS } from '../../report/programme.js';
import { XLSX_CONTENT_TYPE } from '../../base/xlsx-stream.js';
import { callerOf, stationScope } from '../auth.js';
import type { RouteGroup } from '../context.js';
import { ErrorBody } from '../schemas.js';
import { MeAnswer, ReportAnswer, ReportParams, ReportQuery } from './reports.schemas.js';

const ALL_ROLES = ['station', 'reviewer', 'operator'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  xlsx: XLSX_CONTENT_TYPE,
} as const;

export const reportRoutes: RouteGroup = async (app, { context: { database, config } }) => {
  app.get(
    '/:kind',
    {
      config: { access: { roles: ALL_ROLES, action: 'read.report', resource: (p) => `report:${p.kind}` } },
      schema: {
        summary:
          'A programme report (coverage, due, progress; daily per commune and site, monthly childhood programme, quality đúng/đủ/sạch/sống) as JSON or a CSV, HTML or XLSX file',
        params: ReportParams,
        querystring: ReportQuery,
        response: { 200: ReportAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const { kind } = request.params;
      const scope = stationScope(request);
      const commune = scope ? scope.commune : request.query.commune;
      const date = request.query.date ?? today(config);
      request.auditResource = `report:${kind}:${commune ?? 'all'}:${date}`;
      const format = request.query.format;
      let body: RenderedReport;
      if (isDocumentKind(kind)) {
        const { month, site, level, map } = request.query;
        let doc;
        try {
          doc = await documentReport(database, kind, { date, month, site, level, map, commune, timeZone: config.timezone, liveDays: config.liveDays });
        } catch (error) {
          if (error instanceof UnitError) return reply.code(400).send({ error: error.message } as never);
          throw error;
        }
        if (format === 'json') return doc;
        body = await renderDocument(doc, format, { unit: config.reportUnit });
      } else {
        const table = await REPORTS[kind](database, { commune, date, covidCampaignEnd: config.covidCampaignEnd });
        if (format === 'json') return table;
        body = await renderReport(table, format, { unit: config.reportUnit });
      }
      if (format !== 'html') reply.header('content-disposition', `attachment; filename="${kind}-${commune ?? 'all'}-${date}.${format}"`);
      // A string with a non-JSON content type is sent as is, past the JSON serializer, and an XLSX is a stream
      // sent as it is written (the response schema describes the JSON answer only, hence the cast).
      return reply.type(CONTENT_TYPES[format]).send(body as never);
    },
  );
};

/** Every role signs in through /me, the police included (whose other routes are /police only). */
const SIGN_IN_ROLES = [...ALL_ROLES, 'police'] as const;

export const meRoutes: RouteGroup = async (app, { context: { config } }) => {
  app.get(
    '',
    {
      config: { access: { roles: SIGN_IN_ROLES, action: 'read.me' } },
      schema: { summary: "The caller's key: name, role, and a station's commune; the service's today", response: { 200: MeAnswer, 401: ErrorBody } },
    },
    async (request) => {
      const key = callerOf(request);
      return { name: key.name, role: key.role, station: key.stationCode, commune: key.communeCode, today: today(config) };
    },
  );
};
