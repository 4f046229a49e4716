import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { coordinatorsOf } from '../auth/staff-users.repository';
import { CalendarService } from '../calendar/calendar.service';
import { renderCalendar } from '../calendar/ics';
import { formatDateTime } from '../common/dates';
import { BookingsRepository } from '../courses/bookings.repository';
import { hashToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { PortalLinks } from '../portal/portal-links';
import type { LapseReason } from '../readiness/readiness';
import type { Locale } from '../volunteers/volunteer.entity';
import type { OutboxAttachment } from './outbox-message.entity';
import {
  type HomeVisitTimes,
  NotificationsRepository,
  type Recipient,
} from './notifications.repository';
import { OutboxService } from './outbox.service';

/** The portal token travels in-process only, for the email that carries the link. */
export interface PortalLinkMail {
  volunteerId: string;
  portalToken: string;
}

/** Why the mark ended, one sentence a reason, in the recipient's language. */
const LAPSE_REASONS: Record<Locale, Record<Extract<LapseReason, string>, string>> = {
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

/** An extra requirement (src/requirements) is named by the administrator's words. */
const lapseReason = (reasons: LapseReason[], locale: Locale) =>
  reasons
    .map((r) =>
      typeof r === 'string'
        ? LAPSE_REASONS[locale][r]
        : locale === 'en'
          ? `the requirement "${r.nameEn}" is no longer met.`
          : `kravet "${r.nameDa}" er ikke længere opfyldt.`,
    )
    .join(' ');

export interface BookingMade {
  bookingId: string;
  courseId: string;
  volunteerId: string;
  status: 'booked' | 'waitlisted';
}

/** A waitlisted volunteer who took a freed seat. */
export interface BookingPromoted {
  bookingId: string;
  courseId: string;
  volunteerId: string;
}

export interface SessionChange {
  sessionId: string;
  courseId: string;
  sequence: number;
}

/** A cancelled course and who held a seat or a waitlist place on it. */
export interface CourseCancelled {
  courseId: string;
  title: string;
  holders: { volunteerId: string; status: 'booked' | 'waitlisted' }[];
}

/** `matchableSince` of a lost mark is when the mark that just ended was given. */
export interface MatchableChange {
  volunteerId: string;
  matchableSince: Date;
}

/** A lost mark says which requirement went from met to unmet (or that the application closed). */
export interface MatchableLost extends MatchableChange {
  reasons: LapseReason[];
}

/**
 * Which change sends which mail. Each service calls the method for its change inside the
 * change's transaction, so the queued mail (outbox) commits with the change or not at
 * all. Each key names one reason, so a change handled twice still queues one mail.
 */
@Injectable()
export class EmailNotifications {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly calendars: CalendarService,
    private readonly portalLinks: PortalLinks,
    private readonly notifications: NotificationsRepository,
    private readonly bookings: BookingsRepository,
  ) {}

  /** The applicant's welcome with their link, and a notice to each coordinator of the branch. */
  async applicationReceived(em: EntityManager, p: PortalLinkMail) {
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
    for (const coordinator of await coordinatorsOf(em, person.branchId)) {
      await this.outbox.enqueue(em, {
        key: `new-application:${person.id}:${coordinator.id}`,
        to: coordinator.email,
        template: 'new-application',
        locale: coordinator.language,
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

  /** Someone applied again with an address that has an application in progress. */
  async applicationRepeated(em: EntityManager, p: PortalLinkMail) {
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

  /** "Send mig mit link igen": a fresh personal link. */
  async portalLinkRequested(em: EntityManager, p: PortalLinkMail) {
    const person = await this.person(em, p.volunteerId);
    await this.toVolunteer(em, person, `portal-link:${hashToken(p.portalToken)}`, 'portal-link', {
      portalUrl: this.portalUrl(p.portalToken),
    });
  }

  /** A person imported from the branch's spreadsheet, when the coordinator sends the links. */
  async imported(em: EntityManager, p: PortalLinkMail) {
    const person = await this.person(em, p.volunteerId);
    await this.toVolunteer(em, person, `imported:${person.id}`, 'imported', {
      portalUrl: this.portalUrl(p.portalToken),
    });
  }

  async homeVisitScheduled(em: EntityManager, p: { homeVisitId: string; volunteerId: string }) {
    const person = await this.person(em, p.volunteerId);
    const visit = await this.notifications.homeVisitTimes(em, p.homeVisitId);
    await this.toVolunteer(
      em,
      person,
      `home-visit-scheduled:${p.homeVisitId}`,
      'home-visit-scheduled',
      {
        when: formatDateTime(visit.scheduledAt, person.locale),
        portalUrl: await this.freshPortalUrl(em, person.id),
      },
      [this.homeVisitCalendar(p.homeVisitId, person, visit, 'publish')],
    );
  }

  /** The new time, with the calendar entry that replaces the one the volunteer holds. */
  async homeVisitMoved(em: EntityManager, p: { homeVisitId: string; volunteerId: string }) {
    const person = await this.person(em, p.volunteerId);
    const visit = await this.notifications.homeVisitTimes(em, p.homeVisitId);
    await this.toVolunteer(
      em,
      person,
      `home-visit-moved:${p.homeVisitId}:${visit.sequence}`,
      'home-visit-moved',
      {
        when: formatDateTime(visit.scheduledAt, person.locale),
        portalUrl: await this.freshPortalUrl(em, person.id),
      },
      [this.homeVisitCalendar(p.homeVisitId, person, visit, 'publish')],
    );
  }

  /** The visit is off; its calendar entry is withdrawn from the volunteer's calendar. */
  async homeVisitCancelled(em: EntityManager, p: { homeVisitId: string; volunteerId: string }) {
    const person = await this.person(em, p.volunteerId);
    const visit = await this.notifications.homeVisitTimes(em, p.homeVisitId);
    await this.toVolunteer(
      em,
      person,
      `home-visit-cancelled:${p.homeVisitId}`,
      'home-visit-cancelled',
      {
        when: formatDateTime(visit.scheduledAt, person.locale),
        portalUrl: await this.freshPortalUrl(em, person.id),
      },
      [this.homeVisitCalendar(p.homeVisitId, person, visit, 'cancel')],
    );
  }

  /** Thanks, and how to come back; no reasons, which are the coordinator's notes. */
  async volunteerWithdrawn(em: EntityManager, p: { volunteerId: string; closedAt: Date }) {
    const person = await this.person(em, p.volunteerId);
    // Keyed by when: a reactivated person who withdraws again is thanked again.
    await this.toVolunteer(
      em,
      person,
      `withdrawn:${p.volunteerId}:${p.closedAt.toISOString()}`,
      'withdrawn',
      { applyUrl: `${this.config.publicUrl}/ansog` },
    );
  }

  /**
   * The last mail to a person being erased: it is queued inside the erasure, before their
   * name and address are removed, and the worker empties it once it is sent.
   */
  async farewell(em: EntityManager, p: { volunteerId: string; erasedAt: Date }) {
    const person = await this.person(em, p.volunteerId);
    await this.outbox.enqueue(em, {
      key: `farewell:${p.volunteerId}:${p.erasedAt.toISOString()}`,
      to: person.email,
      template: 'farewell',
      locale: person.locale,
      data: { firstName: person.firstName, branchName: person.branchName },
      eraseAfterSend: true,
    });
  }

  /** A kind word after a declined home visit; never the reasons written on the record. */
  async volunteerDeclined(em: EntityManager, p: { volunteerId: string }) {
    const person = await this.person(em, p.volunteerId);
    await this.toVolunteer(em, person, `declined:${p.volunteerId}`, 'declined', {});
  }

  /** A seat (with the course's calendar file) or a waitlist place. */
  async bookingMade(em: EntityManager, p: BookingMade) {
    const person = await this.person(em, p.volunteerId);
    const course = await this.calendars.attachmentFor(em, { courseId: p.courseId });
    const courseTitle = course.entries[0]?.title ?? '';
    if (p.status === 'waitlisted') {
      const position = await this.bookings.waitlistPosition(em, p.bookingId);
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

  async bookingPromoted(em: EntityManager, p: BookingPromoted) {
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

  /**
   * Everyone who held a seat or a waitlist place on a cancelled course; a seat's mail
   * carries the cancelled sessions so calendars remove them.
   */
  async courseCancelled(em: EntityManager, p: CourseCancelled) {
    const course = await this.calendars.attachmentFor(em, { courseId: p.courseId });
    for (const holder of p.holders) {
      const person = await this.person(em, holder.volunteerId);
      await this.toVolunteer(
        em,
        person,
        `course-cancelled:${p.courseId}:${person.id}`,
        'course-cancelled',
        {
          courseTitle: p.title,
          waitlisted: holder.status === 'waitlisted',
          portalUrl: await this.freshPortalUrl(em, person.id),
        },
        holder.status === 'booked' && course.entries.length > 0
          ? [calendarFile('kursus.ics', course.ics('cancel'), 'cancel')]
          : [],
      );
    }
  }

  sessionChanged(em: EntityManager, p: SessionChange) {
    return this.toEveryoneBooked(em, p, 'changed');
  }

  sessionCancelled(em: EntityManager, p: SessionChange) {
    return this.toEveryoneBooked(em, p, 'cancelled');
  }

  becameMatchable(em: EntityManager, p: MatchableChange) {
    return this.matchable(em, p.volunteerId, p.matchableSince, 'matchable', []);
  }

  noLongerMatchable(em: EntityManager, p: MatchableLost) {
    return this.matchable(em, p.volunteerId, p.matchableSince, 'no-longer-matchable', p.reasons);
  }

  /** Everyone holding a seat on the course hears of a changed or cancelled session. */
  private async toEveryoneBooked(
    em: EntityManager,
    p: SessionChange,
    change: 'changed' | 'cancelled',
  ) {
    const session = await this.calendars.attachmentFor(em, { sessionId: p.sessionId });
    const [entry] = session.entries;
    const method = change === 'cancelled' ? 'cancel' : 'publish';
    for (const volunteerId of await this.bookings.bookedVolunteerIds(em, p.courseId)) {
      const person = await this.person(em, volunteerId);
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
    for (const coordinator of await coordinatorsOf(em, person.branchId)) {
      await this.outbox.enqueue(em, {
        key: `${key}:${coordinator.id}`,
        to: coordinator.email,
        template,
        locale: coordinator.language,
        data: {
          recipientName: coordinator.name,
          volunteerName,
          forVolunteer: false,
          reason: lapseReason(reasons, coordinator.language),
          volunteerUrl: this.staffVolunteerUrl(volunteerId),
        },
      });
    }
  }

  /**
   * Asks for the course evaluation once the course has ended; keyed by course and
   * volunteer, so the daily run never asks twice.
   */
  async evaluationInvited(
    em: EntityManager,
    p: { volunteerId: string; courseId: string; courseTitle: string },
  ) {
    const person = await this.person(em, p.volunteerId);
    await this.toVolunteer(em, person, `evaluation:${p.courseId}:${p.volunteerId}`, 'evaluation', {
      courseTitle: p.courseTitle,
      portalUrl: await this.freshPortalUrl(em, person.id),
    });
  }

  private async toVolunteer(
    em: EntityManager,
    person: Recipient,
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

  /** The visit takes about an hour and a half; the coordinator comes to the volunteer's home. */
  private homeVisitCalendar(
    homeVisitId: string,
    person: Recipient,
    visit: HomeVisitTimes,
    method: 'publish' | 'cancel',
  ): OutboxAttachment {
    const ics = renderCalendar(
      'Hjemmebesøg',
      [
        {
          uid: `home-visit-${homeVisitId}`,
          title: `Hjemmebesøg fra ${person.branchName}`,
          startsAt: visit.scheduledAt,
          endsAt: new Date(visit.scheduledAt.getTime() + 90 * 60_000),
          location: `Hjemme hos dig (${person.postcode})`,
          description:
            'Koordinatorens hjemmebesøg: om rollen som familieven, tavshedspligt og grænser.',
          sequence: visit.sequence,
          cancelled: method === 'cancel',
          // A later change must carry a later stamp, or calendars keep the old entry.
          changedAt: visit.sequence === 0 ? visit.createdAt : new Date(),
        },
      ],
      { url: `${this.config.publicUrl}/v`, method },
    );
    return calendarFile('hjemmebesoeg.ics', ics, method);
  }

  private person(em: EntityManager, volunteerId: string): Promise<Recipient> {
    return this.notifications.recipient(em, volunteerId);
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
