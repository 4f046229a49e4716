/**
 * Errors the services throw. They carry no HTTP status: the error filter maps each kind
 * to one, so rules stay free of transport concerns.
 */
export abstract class DomainError extends Error {
  abstract readonly kind:
    'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'invalid' | 'too_many';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(what: string) {
    super(`${what} not found`, `${what.toLowerCase().replace(/\s+/g, '_')}_not_found`);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** A state change that the current state does not allow (e.g. approving a declined visit). */
export class InvalidTransitionError extends ConflictError {}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(
    message = 'Din rolle giver ikke adgang til dette; spørg en administrator, hvis du mener, du skal have adgang. / Your role may not do this; ask an administrator if you think you should have access.',
  ) {
    super(message, 'forbidden');
  }
}

/**
 * A person imported from a branch's spreadsheet who has not consented in Klar yet acting
 * on their personal link (booking, materials, evaluations): 403 with `code:
 * 'consent_required'` in the body, so a client knows to ask (`POST /api/v1/me/consent`).
 */
export class ConsentRequiredError extends DomainError {
  readonly kind = 'forbidden';
  constructor() {
    super(
      'Giv først dit samtykke på din personlige side. / Give your consent on your personal page first.',
      'consent_required',
    );
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
  constructor(message = 'Missing or invalid credentials') {
    super(message, 'unauthorized');
  }
}

export class TooManyRequestsError extends DomainError {
  readonly kind = 'too_many';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 'too_many_requests');
  }
}

/**
 * One problem of one field. `code` is for machines (the API returns it; the catalog in
 * field-messages.ts turns it into the sentence a person reads); `message` is the text
 * used when the catalog has none, a rule's "Dansk. / English." sentence. `params` are a
 * rule's numbers (a length's minimum and maximum) for the catalog's sentence.
 */
export interface FieldError {
  field: string;
  code: string;
  message: string;
  params?: number[];
}

/** Bad input found by a rule rather than by the DTO (e.g. a date in the future). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '), 'invalid_input');
  }
}
