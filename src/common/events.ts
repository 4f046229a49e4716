import type { EventEmitter2 } from '@nestjs/event-emitter';

export type LapseReason =
  | 'application_closed'
  | 'home_visit'
  | 'attestation_missing'
  | 'attestation_expired'
  | 'attestation_has_entries'
  | 'course';

/** What happened, for whoever reacts after the change committed (the mail issue's outbox). */
export interface DomainEvents {
  'volunteer.became_matchable': { volunteerId: string; matchableSince: Date };
  /**
   * `matchableSince` is when the mark that just ended was given; `reasons` are the
   * requirements that went from met to unmet, or that the application was closed.
   */
  'volunteer.no_longer_matchable': {
    volunteerId: string;
    matchableSince: Date;
    reasons: LapseReason[];
  };
  /** The portal token travels in-process only, for the email that carries the link. */
  'application.received': { volunteerId: string; portalToken: string };
  'application.repeated': { volunteerId: string; portalToken: string };
  /** Someone asked for a fresh personal link to be mailed ("Send mig mit link igen"). */
  'portal_link.requested': { volunteerId: string; portalToken: string };
  'home_visit.scheduled': { homeVisitId: string; volunteerId: string };
  'booking.created': {
    bookingId: string;
    courseId: string;
    volunteerId: string;
    status: 'booked' | 'waitlisted';
  };
  'booking.promoted': { bookingId: string; courseId: string; volunteerId: string };
  'session.changed': { sessionId: string; courseId: string; sequence: number };
  'session.cancelled': { sessionId: string; courseId: string; sequence: number };
}

/**
 * Events raised inside a transaction are held here and emitted only after it committed,
 * so nobody reacts to a change that was rolled back.
 */
export class PendingEvents {
  private readonly events: { name: keyof DomainEvents; payload: unknown }[] = [];

  add<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.events.push({ name, payload });
  }

  list(): readonly { name: keyof DomainEvents; payload: unknown }[] {
    return this.events;
  }

  emitTo(emitter: EventEmitter2): void {
    for (const { name, payload } of this.events.splice(0)) {
      emitter.emit(name, payload);
    }
  }
}
