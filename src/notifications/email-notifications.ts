import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { renderCalendar } from '../calendar/ics';
import { formatDateTime } from '../common/dates';
import type { DomainEvents, LapseReason } from '../common/events';
import { hashToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { UnitOfWork } from '../database/unit-of-work';
import { PortalLinks } from '../portal/portal-links';
import type { Locale } from '../volunteers/volunteer.entity';
import type { OutboxAttachment } from './outbox-message.entity';
import { OutboxService } from './outbox.service';

interface Person {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  locale: Locale;
  postcode: string;
  branchId: string;
  branchName: string;
}

/** Why the mark ended, one sentence a reason, in the recipient's language. */
const LAPSE_REASONS: Record<Locale, Record<LapseReason, string>> = {
  da: {
    application_closed: 'ansøgningen er afsluttet.',
    home_visit: 'hjemmebesøget er ikke længere godkendt.',
    attestation_missing: 'der er ingen børneattest.',
    attestation_expired: 'børneattesten er udløbet og skal fornyes.',
    attestation_has_entries: 'den nyeste børneattest har anmærkninger.',
    course: 'kurset er ikke længere gennemført.',
  },
  en: {
    application_closed: 'the application has been closed.',
    home_visit: 'the home visit is no longer approved.',
    attestation_missing: 'there is no child protection certificate.',
    attestation_expired: 'the child protection certificate has expired and must be renewed.',
    attestation_has_entries: 'the newest child protection certificate has entries.',
    course: 'the course is no longer complete.',
  },
};

const lapseReason = (reasons: LapseReason[], locale: Locale) =>
  reasons.map((r) => LAPSE_REASONS[locale][r]).join(' ');

interface Coordinator {
  id: string;
  name: string;
  email: string;
}

/**
 * Turns domain events into queued emails, inside the transaction that raised them: the
 * mail is committed with the change or not at all. Each key names one reason, so an
 * event handled twice still queues one mail.
 */
@Injectable()
export class EmailNotifications implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly outbox: OutboxService,
    private readonly calendars: CalendarService,
    private readonly portalLinks: PortalLinks,
  ) {}

  onModuleInit(): void {
    const on = <K extends keyof DomainEvents>(
      name: K,
      handler: (em: EntityManager, p: DomainEvents[K]) => Promise<void>,
    ) => this.uow.onEventInTransaction(name, handler);
    on('application.received', (em, p) => this.applicationReceived(em, p));
    on('application.repeated', (em, p) => this.applicationRepeated(em, p));
    on('portal_link.requested', (em, p) => this.portalLinkRequested(em, p));
    on('home_visit.scheduled', (em, p) => this.homeVisitScheduled(em, p));
    on('booking.created', (em, p) => this.bookingCreated(em, p));
    on('booking.promoted', (em, p) => this.bookingPromoted(em, p));
    on('session.changed', (em, p) => this.sessionChanged(em, p, 'changed'));
    on('session.cancelled', (em, p) => this.sessionChanged(em, p, 'cancelled'));
    on('volunteer.became_matchable', (em, p) =>
      this.matchable(em, p.volunteerId, p.matchableSince, 'matchable', []),
    );
    on('volunteer.no_longer_matchable', (em, p) =>
      this.matchable(em, p.volunteerId, p.matchableSince, 'no-longer-matchable', p.reasons),
    );
  }

  private async applicationReceived(em: EntityManager, p: DomainEvents['application.received']) {
    const person = await this.person(em, p.volunteerId);
    await this.toVolunteer(
      em,
      person,
      `application-received:${person.id}`,
      'application-received',
      {
        portalUrl: this.portalUrl(p.portalToken),
      },
    );
    for (const coordinator of await this.coordinators(em, person.branchId)) {
      await this.outbox.enqueue(em, {
        key: `new-application:${person.id}:${coordinator.id}`,
        to: coordinator.email,
        template: 'new-application',
        locale: 'da',
        data: {
          coordinatorName: coordinator.name,
          volunteerName: `${person.firstName} ${person.lastName}`,
          postcode: person.postcode,
          branchName: person.branchName,
          volunteerUrl: this.staffVolunteerUrl(person.id),
        },
      });
    }
  }

  private async applicationRepeated(em: EntityManager, p: DomainEvents['application.repeated']) {
    const person = await this.person(em, p.volunteerId);
    await this.toVolunteer(
      em,
      person,
      `already-applied:${hashToken(p.portalToken)}`,
      'already-applied',
      {
        portalUrl: this.portalUrl(p.portalToken),
      },
    );
  }

  private async portalLinkRequested(em: EntityManager, p: DomainEvents['portal_link.requested']) {
    const person = await this.person(em, p.volunteerId);
    await this.toVolunteer(em, person, `portal-link:${hashToken(p.portalToken)}`, 'portal-link', {
      portalUrl: this.portalUrl(p.portalToken),
    });
  }

  private async homeVisitScheduled(em: EntityManager, p: DomainEvents['home_visit.scheduled']) {
    const person = await this.person(em, p.volunteerId);
    const [visit] = await em.query<{ scheduled_at: Date; created_at: Date }[]>(
      'SELECT scheduled_at, created_at FROM home_visit WHERE id = $1',
      [p.homeVisitId],
    );
    // The visit takes about an hour and a half; the coordinator comes to the volunteer's home.
    const ics = renderCalendar(
      'Hjemmebesøg',
      [
        {
          uid: `home-visit-${p.homeVisitId}`,
          title: `Hjemmebesøg fra ${person.branchName}`,
          startsAt: visit.scheduled_at,
          endsAt: new Date(visit.scheduled_at.getTime() + 90 * 60_000),
          location: `Hjemme hos dig (${person.postcode})`,
          description:
            'Koordinatorens hjemmebesøg: om rollen som familieven, tavshedspligt og grænser.',
          sequence: 0,
          cancelled: false,
          changedAt: visit.created_at,
        },
      ],
      { url: `${this.config.publicUrl}/v` },
    );
    await this.toVolunteer(
      em,
      person,
      `home-visit-scheduled:${p.homeVisitId}`,
      'home-visit-scheduled',
      {
        when: formatDateTime(visit.scheduled_at, person.locale),
        portalUrl: await this.freshPortalUrl(em, person.id),
      },
      [calendarFile('hjemmebesoeg.ics', ics, 'publish')],
    );
  }

  private async bookingCreated(em: EntityManager, p: DomainEvents['booking.created']) {
    const person = await this.person(em, p.volunteerId);
    const course = await this.calendars.attachmentFor(em, { courseId: p.courseId });
    const courseTitle = course.entries[0]?.title ?? '';
    if (p.status === 'waitlisted') {
      const [{ position }] = await em.query<{ position: number }[]>(
        'SELECT waitlist_position AS position FROM booking WHERE id = $1',
        [p.bookingId],
      );
      await this.toVolunteer(em, person, `waitlisted:${p.bookingId}`, 'waitlisted', {
        courseTitle,
        position,
        portalUrl: await this.freshPortalUrl(em, person.id),
      });
      return;
    }
    await this.toVolunteer(
      em,
      person,
      `booking-confirmed:${p.bookingId}`,
      'booking-confirmed',
      {
        courseTitle,
        sessions: this.sessionLines(course.entries, person.locale),
        portalUrl: await this.freshPortalUrl(em, person.id),
      },
      [calendarFile('kursus.ics', course.ics('publish'), 'publish')],
    );
  }

  private async bookingPromoted(em: EntityManager, p: DomainEvents['booking.promoted']) {
    const person = await this.person(em, p.volunteerId);
    const course = await this.calendars.attachmentFor(em, { courseId: p.courseId });
    await this.toVolunteer(
      em,
      person,
      `promoted:${p.bookingId}`,
      'promoted',
      {
        courseTitle: course.entries[0]?.title ?? '',
        sessions: this.sessionLines(course.entries, person.locale),
        portalUrl: await this.freshPortalUrl(em, person.id),
      },
      [calendarFile('kursus.ics', course.ics('publish'), 'publish')],
    );
  }

  /** Everyone holding a seat on the course hears of a changed or cancelled session. */
  private async sessionChanged(
    em: EntityManager,
    p: DomainEvents['session.changed'],
    change: 'changed' | 'cancelled',
  ) {
    const session = await this.calendars.attachmentFor(em, { sessionId: p.sessionId });
    const [entry] = session.entries;
    const method = change === 'cancelled' ? 'cancel' : 'publish';
    const booked = await em.query<{ volunteer_id: string }[]>(
      `SELECT volunteer_id FROM booking WHERE course_id = $1 AND status = 'booked' ORDER BY volunteer_id`,
      [p.courseId],
    );
    for (const { volunteer_id } of booked) {
      const person = await this.person(em, volunteer_id);
      await this.toVolunteer(
        em,
        person,
        `session-${change}:${p.sessionId}:${p.sequence}:${person.id}`,
        `session-${change}`,
        {
          courseTitle: entry.title,
          when: formatDateTime(entry.startsAt, person.locale),
          location: entry.location,
        },
        [calendarFile('kursusgang.ics', session.ics(method), method)],
      );
    }
  }

  private async matchable(
    em: EntityManager,
    volunteerId: string,
    since: Date,
    template: 'matchable' | 'no-longer-matchable',
    reasons: LapseReason[],
  ) {
    const person = await this.person(em, volunteerId);
    const volunteerName = `${person.firstName} ${person.lastName}`;
    const key = `${template}:${volunteerId}:${since.toISOString()}`;
    await this.toVolunteer(em, person, `${key}:volunteer`, template, {
      recipientName: person.firstName,
      volunteerName,
      forVolunteer: true,
      reason: lapseReason(reasons, person.locale),
    });
    for (const coordinator of await this.coordinators(em, person.branchId)) {
      await this.outbox.enqueue(em, {
        key: `${key}:${coordinator.id}`,
        to: coordinator.email,
        template,
        locale: 'da',
        data: {
          recipientName: coordinator.name,
          volunteerName,
          forVolunteer: false,
          reason: lapseReason(reasons, 'da'),
          volunteerUrl: this.staffVolunteerUrl(volunteerId),
        },
      });
    }
  }

  private async toVolunteer(
    em: EntityManager,
    person: Person,
    key: string,
    template: string,
    data: Record<string, unknown>,
    attachments: OutboxAttachment[] = [],
  ) {
    await this.outbox.enqueue(em, {
      key,
      to: person.email,
      template,
      locale: person.locale,
      data: { firstName: person.firstName, branchName: person.branchName, ...data },
      attachments,
    });
  }

  private async person(em: EntityManager, volunteerId: string): Promise<Person> {
    const [row] = await em.query<Person[]>(
      `SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName", v.email, v.locale, v.postcode,
              v.branch_id AS "branchId", b.name AS "branchName"
         FROM volunteer v JOIN branch b ON b.id = v.branch_id
        WHERE v.id = $1`,
      [volunteerId],
    );
    return row;
  }

  private coordinators(em: EntityManager, branchId: string): Promise<Coordinator[]> {
    return em.query<Coordinator[]>(
      `SELECT id, name, email FROM staff_user WHERE role = 'coordinator' AND branch_id = $1 ORDER BY created_at`,
      [branchId],
    );
  }

  private sessionLines(entries: { startsAt: Date; location: string }[], locale: Locale) {
    return entries.map((e) => ({ when: formatDateTime(e.startsAt, locale), location: e.location }));
  }

  private portalUrl(token: string) {
    return `${this.config.publicUrl}/v/${token}`;
  }

  /**
   * Personal links are stored only as hashes, so a later email cannot repeat the first
   * one; it carries a new link to the same page (see PortalLinks for how many live).
   */
  private async freshPortalUrl(em: EntityManager, volunteerId: string) {
    return this.portalUrl(await this.portalLinks.mint(em, volunteerId));
  }

  private staffVolunteerUrl(volunteerId: string) {
    return `${this.config.publicUrl}/staff/volunteers/${volunteerId}`;
  }
}

function calendarFile(
  filename: string,
  content: string,
  method: 'publish' | 'cancel',
): OutboxAttachment {
  return {
    filename,
    content,
    contentType: `text/calendar; charset=utf-8; method=${method.toUpperCase()}`,
  };
}
