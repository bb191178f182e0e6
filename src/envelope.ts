// The contract's envelope (section 1): every body Focus sends has one of these two shapes.
export interface SuccessBody<T> {
  success: true;
  message: string;
  data: T;
  meta?: Record<string, unknown>;
}

export interface ErrorBody {
  success: false;
  message: string;
  error: { code: string; details: unknown };
}

export function ok<T>(message: string, data: T): SuccessBody<T> {
  return { success: true, message, data };
}

/** A list response: the data array plus the top-level `meta` of section 6. */
export function okList<T, M extends Record<string, unknown>>(message: string, data: T[], meta: M): SuccessBody<T[]> & { meta: M } {
  return { success: true, message, data, meta };
}

export function errorBody(code: string, message: string, details: unknown = null): ErrorBody {
  return { success: false, message, error: { code, details } };
}
