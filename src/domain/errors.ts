/**
 * The one error vocabulary of Equipoise. Services throw only these; `http/errors.ts` maps each `code` to a
 * status and to one of the three body shapes of the reference API, so HTTP never leaks into services.
 */

export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'api_key_missing'
  | 'api_key_invalid'
  | 'bad_request'
  | 'warehouse_unavailable'
  | 'warehouse_timeout'
  | 'limit_exceeded';

/** Where a validation problem is, as a JSON path into the request (`["body", "design_spec", "arms", 0]`). */
export type IssueLocation = readonly (string | number)[];

export interface ValidationIssue {
  readonly loc: IssueLocation;
  readonly msg: string;
  /** Machine-readable kind, e.g. `missing`, `extra_forbidden`, `late`, `assignment`. */
  readonly type: string;
}

/**
 * The reference answers most errors as `{"detail": "..."}`, but API-key, datasource, table and warehouse
 * errors as `{"message": "..."}`; clients parse one or the other, so each error says which it is.
 */
export type ErrorBodyShape = 'detail' | 'message';

export class AppError extends Error {
  readonly shape: ErrorBodyShape;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; shape?: ErrorBodyShape },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.shape = options?.shape ?? 'detail';
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** A request that is well formed but not allowed in the resource's current state (409). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** One or more problems with the request's content (422), each naming where it is. */
export class ValidationError extends AppError {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[] | string, type = 'late') {
    const list = typeof issues === 'string' ? [{ loc: [0], msg: issues, type }] : issues;
    super('validation', list.map((i) => i.msg).join('; '));
    this.issues = list;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Session token invalid or expired.') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Errors of the public API's key check, which the reference answers as `{"message": ...}`. */
export class ApiKeyError extends AppError {
  constructor(code: 'api_key_missing' | 'api_key_invalid' | 'bad_request', message: string) {
    super(code, message, { shape: 'message' });
  }
}

/** A resource the public API reports as `{"message": ...}` with 404 (datasource, table). */
export class MessageNotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message, { shape: 'message' });
  }
}

/** The customer's warehouse failed or was too slow (502/504), or a configured cap was hit. */
export class WarehouseError extends AppError {
  constructor(code: 'warehouse_unavailable' | 'warehouse_timeout' | 'limit_exceeded', message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, shape: 'message' });
  }
}
