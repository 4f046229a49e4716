import { toIsoWithOffset } from '../common/dates';
import { isExtra, type Readiness } from './readiness';

export function toReadinessView(readiness: Readiness, matchableSince: Date | null) {
  return {
    matchable: readiness.matchable,
    matchableSince: toIsoWithOffset(matchableSince),
    requirements: readiness.requirements.map((r) =>
      r.key === 'home_visit' && !isExtra(r)
        ? { ...r, detail: { ...r.detail, nextVisitAt: toIsoWithOffset(r.detail.nextVisitAt) } }
        : r,
    ),
  };
}
