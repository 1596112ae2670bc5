/**
 * The commune police's check loop (registered under /police): the worklist of the key's commune, an answer
 * per person, the sign-off, and the list printed for door-to-door checks. Police keys only, and always of
 * the key's own commune: there is no commune parameter to ask for another. Every call is audited (the
 * access hook), the answer and the sign-off under their own ids.
 */
import { today } from '../../config.js';
import { renderReport } from '../../report/format.js';
import { XLSX_CONTENT_TYPE } from '../../base/xlsx-stream.js';
import { callerOf } from '../auth.js';
import type { RouteGroup } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { personCommune } from '../persons.js';
import { policeListTable, policeWorklist, recordPoliceAnswer, signOffPoliceList } from '../police.js';
import { ErrorBody } from '../schemas.js';
import { PoliceAnswerAnswer, PoliceAnswerBody, PolicePersonParams, PrintQuery, SignOffAnswer, WorklistAnswer } from './police.schemas.js';

const POLICE = ['police'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const CONTENT_TYPES = { html: 'text/html; charset=utf-8', xlsx: XLSX_CONTENT_TYPE } as const;

export const policeRoutes: RouteGroup = async (app, { context: { database, config } }) => {
  app.get(
    '/list',
    {
      config: { access: { roles: POLICE, action: 'police.read_list' } },
      schema: { summary: "The commune's people to check against the national population database, with the answers given", response: { 200: WorklistAnswer, ...errors } },
    },
    async (request) => {
      const commune = callerOf(request).communeCode!;
      request.auditResource = `police_list:${commune}`;
      return policeWorklist(database, commune);
    },
  );

  app.get(
    '/list/print',
    {
      config: { access: { roles: POLICE, action: 'police.print_list' } },
      schema: { summary: 'The list to print for door-to-door checks (HTML page or XLSX)', querystring: PrintQuery, response: { 200: WorklistAnswer, ...errors } },
    },
    async (request, reply) => {
      const commune = callerOf(request).communeCode!;
      const date = today(config);
      const format = request.query.format;
      request.auditResource = `police_list:${commune}:${format}`;
      const body = await renderReport(policeListTable(await policeWorklist(database, commune), date), format, { unit: config.reportUnit });
      reply.header('content-disposition', `attachment; filename="cong-an-${commune}-${date}.${format}"`);
      // Sent as is (an XLSX as it is written), past the JSON serializer (the response schema describes JSON answers only).
      return reply.type(CONTENT_TYPES[format]).send(body as never);
    },
  );

  app.post(
    '/persons/:id/answer',
    {
      config: { access: { roles: POLICE, action: 'police.answer', resource: (p) => `person:${p.id}` } },
      schema: {
        summary: "Record the officer's answer for a person: used as the registry's answer at the next reconcile",
        params: PolicePersonParams,
        body: PoliceAnswerBody,
        response: { 200: PoliceAnswerAnswer, ...errors },
      },
    },
    async (request) => {
      const key = callerOf(request);
      const { id } = request.params;
      const commune = await personCommune(database, id);
      if (commune === undefined) throw notFound(`person ${id}`);
      if (commune !== key.communeCode) throw forbidden('this person is not of your commune');
      const answer = await recordPoliceAnswer(database, key, id, request.body);
      request.auditResource = `person:${id}/police_answer:${answer.id}`;
      return answer;
    },
  );

  app.post(
    '/sign-off',
    {
      config: { access: { roles: POLICE, action: 'police.sign_off' } },
      schema: { summary: 'Sign the list back to the station: every answer since the last sign-off', response: { 200: SignOffAnswer, ...errors } },
    },
    async (request) => {
      const key = callerOf(request);
      request.auditResource = `police_list:${key.communeCode!}`;
      const signOff = await signOffPoliceList(database, key);
      request.auditResource = `police_list:${signOff.commune}/sign_off:${signOff.id}`;
      return signOff;
    },
  );
};
