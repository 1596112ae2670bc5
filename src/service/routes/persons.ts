/**
 * GET /persons/:id and GET /persons?citizen_id=… (registered under /persons): a station reads the people
 * of its own commune only.
 *
 * By id, a person of another commune is refused with 403: person ids are sequential numbers, so
 * confirming that one exists reveals nothing. By citizen ID, a station's search is confined to its commune
 * and simply finds nobody elsewhere: a 403 there would tell it that the ID is known in another commune.
 */
import { stationScope } from '../auth.js';
import type { RouteGroup } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { findPersonsByCitizenId, personCommune, readPerson } from '../persons.js';
import { ErrorBody } from '../schemas.js';
import { today } from '../../config.js';
import { personPage, personPageView } from '../../report/person-page.js';
import { PersonAnswer, PersonLookupAnswer, PersonLookupQuery, PersonParams, PersonScheduleAnswer, PersonScheduleQuery } from './persons.schemas.js';

const ALL_ROLES = ['station', 'reviewer', 'operator'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const personRoutes: RouteGroup = async (app, { context: { database, config } }) => {
  /** A station reads its own commune's people only: checked before anything else is read. */
  const checkStation = async (request: Parameters<typeof stationScope>[0], id: string) => {
    const scope = stationScope(request);
    if (!scope) return;
    const commune = await personCommune(database, id);
    if (commune === undefined) throw notFound(`person ${id}`);
    if (commune !== scope.commune) throw forbidden('this person is not of your commune');
  };

  app.get(
    '/:id',
    {
      config: { access: { roles: ALL_ROLES, action: 'read.person', resource: (p) => `person:${p.id}` } },
      schema: {
        summary: 'A person: golden record, source rows, doses, registry status',
        params: PersonParams,
        response: { 200: PersonAnswer, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      // Checked before anything else is read, so a refused request costs one lookup and shows nothing.
      await checkStation(request, id);
      const person = await readPerson(database, id);
      if (!person) throw notFound(`person ${id}`);
      return person;
    },
  );

  app.get(
    '/:id/schedule',
    {
      config: { access: { roles: ALL_ROLES, action: 'read.person', resource: (p) => `person:${p.id}` } },
      schema: {
        summary: 'The person page: each dose valid or not and why, each programme dose given, due or missed, in Vietnamese',
        params: PersonParams,
        querystring: PersonScheduleQuery,
        response: { 200: PersonScheduleAnswer, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      await checkStation(request, id);
      const page = await personPage(database, id, request.query.date ?? today(config), config.covidCampaignEnd);
      if (!page) throw notFound(`person ${id}`);
      return personPageView(page);
    },
  );

  app.get(
    '',
    {
      config: { access: { roles: ALL_ROLES, action: 'lookup.person', resource: () => 'persons' } },
      schema: {
        summary: 'People by citizen ID (a station: within its commune)',
        querystring: PersonLookupQuery,
        response: { 200: PersonLookupAnswer, ...errors },
      },
    },
    async (request) => {
      const scope = stationScope(request);
      const persons = await findPersonsByCitizenId(database, request.query.citizen_id, scope?.commune ?? null);
      // The audit log names who was found, by person id; the ID searched for stays out of it.
      request.auditResource = persons.length === 0 ? 'persons:none' : `persons:${persons.map((p) => p.id).join(',')}`;
      return { persons };
    },
  );
};
