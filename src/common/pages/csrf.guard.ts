import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ForbiddenError } from '../errors';
import { csrf, isMachineRoute } from './web';

/**
 * Every form a page posts carries the session's CSRF token (csrf-sync's synchroniser
 * token); as a guard, a refusal goes through the error filter like any other 403.
 * The API is exempt: it takes bearer tokens, which a browser never sends by itself.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (isMachineRoute(request.path) || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      return true;
    }
    if (!csrf.isRequestValid(request)) {
      throw new ForbiddenError(
        'Formularen er udløbet eller kom ikke fra denne side; genindlæs siden og prøv igen. / The form expired or did not come from this site; reload the page and try again.',
      );
    }
    return true;
  }
}
