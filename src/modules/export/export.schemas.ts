// What the export routes send, for OpenAPI. The files are streamed, so Fastify never serializes them
// with these schemas: they describe the download, they do not enforce it.
import { Type } from '@sinclair/typebox';
import { Timestamp } from '../../schemas.js';
import { UserSchema } from '../accounts/accounts.schemas.js';
import { DayProgressSchema } from '../progress/progress.schemas.js';
import { SessionSchema } from '../sessions/sessions.schemas.js';
import { StreakSchema } from '../streaks/streaks.schemas.js';
import { TagSchema } from '../tags/tags.schemas.js';
import { SESSIONS_CSV_HEADER } from './export.service.js';

export const ExportDocumentSchema = Type.Object(
  {
    format: Type.Literal('focus-export'),
    version: Type.Literal(1),
    exported_at: Timestamp,
    user: UserSchema,
    tags: Type.Array(TagSchema, { description: 'every tag, archived ones included, as GET /tags lists them' }),
    sessions: Type.Array(SessionSchema, { description: 'every session of every status, oldest first (started_at, then id)' }),
    daily_progress: Type.Array(DayProgressSchema, { description: 'every stored day (with a completion or frozen), ascending, as GET /progress items' }),
    streak: StreakSchema,
    badges: Type.Array(
      Type.Object({ code: Type.String(), name: Type.String(), earned_at: Timestamp }),
      { description: 'the badges earned, in catalogue order' },
    ),
  },
  { description: 'the whole file; not an envelope' },
);

const attachment = (example: string) => ({
  'Content-Disposition': {
    description: `attachment; the date is today in the user's time zone`,
    required: true,
    schema: Type.String({ examples: [`attachment; filename="${example}"`] }),
  },
});

const streamed =
  'Streamed from the database a page at a time. A failure after the first byte aborts the connection, so a cut-off file is never a complete one (the JSON does not parse; the CSV lacks rows and the client sees the transfer fail).';

export const JsonExportResponse = {
  description: `The user's data as one JSON file. ${streamed}`,
  headers: attachment('focus-export-2026-02-18.json'),
  content: { 'application/json': { schema: ExportDocumentSchema } },
};

export const CsvExportResponse = {
  description: `One row per session, oldest first: RFC 4180, CRLF line ends, no BOM, null as an empty cell, tag as the tag's current name; a cell starting with =, +, -, @, a tab or a carriage return gets a leading '. ${streamed}`,
  headers: attachment('focus-sessions-2026-02-18.csv'),
  content: {
    'text/csv': {
      schema: Type.String({ examples: [`${SESSIONS_CSV_HEADER.join(',')}\r\n1,completed,2026-02-18T08:00:00Z,2026-02-18T08:25:00Z,1500,1500,Deep work,\r\n`] }),
    },
  },
};
