// Names for the payloads the client uses, all taken from the generated OpenAPI types.
import type { components, paths } from './schema';

type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': { data: infer D } } } };
}
  ? D
  : never;

export type User = components['schemas']['User'];
export type FocusSession = components['schemas']['FocusSession'];
export type Badge = Ok<'/api/v1/badges', 'get'>[number];
export type Ended = Ok<'/api/v1/sessions/{id}/end', 'patch'>;
export type Rewards = NonNullable<Ended['rewards']>;
export type DayProgress = Ok<'/api/v1/progress', 'get'>[number];
export type Streak = Ok<'/api/v1/streaks', 'get'>;
export type Stats = Ok<'/api/v1/stats', 'get'>;
export type Home = Ok<'/api/v1/home', 'get'>;
export type Tag = Ok<'/api/v1/tags', 'get'>[number];
export type Summary = Ok<'/api/v1/summary', 'get'>;
