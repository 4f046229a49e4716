import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Branch } from '../branches/branch.entity';
import { NotFoundError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { Topic } from '../courses/topic.entity';
import { inTransaction } from '../database/transaction';
import { ReadinessService } from '../readiness/readiness.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import { buildCertificate, type Certificate } from './certificate';
import { CertificatesRepository } from './certificates.repository';

@Injectable()
export class CertificatesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly readiness: ReadinessService,
    private readonly records: CertificatesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The volunteer's certificate for a course they attended, once the course requirement
   * is met. Anything else is "not found", so the route does not tell whether a course
   * exists or whom it belongs to.
   */
  async own(volunteerId: string, courseId: string, now = new Date()): Promise<Certificate> {
    return inTransaction(this.db, async (em) => {
      const volunteer = await em.findOneByOrFail(Volunteer, { id: volunteerId });
      const readiness = await this.readiness.assess(em, volunteer, now);
      const courseMet = readiness.requirements.some((r) => r.key === 'course' && r.met);
      const sessions = await this.records.attendedSessions(em, volunteer.id);
      const ofCourse = sessions.find((s) => s.courseId === courseId);
      if (!courseMet || !ofCourse) {
        throw new NotFoundError('Certificate');
      }
      const branch = await em.findOneByOrFail(Branch, { id: volunteer.branchId });
      const topics = await em.find(Topic, { order: { position: 'ASC' } });
      const en = volunteer.locale === 'en';
      return buildCertificate({
        locale: volunteer.locale,
        // The ORGANISATION_NAME setting (src/config/env.ts).
        organisation: this.config.organisationName,
        volunteerName: `${volunteer.firstName} ${volunteer.lastName}`,
        branchName: branch.name,
        courseTitle: ofCourse.courseTitle,
        sessions,
        topicTitles: new Map(topics.map((t) => [t.code, en ? t.titleEn : t.titleDa])),
        topicOrder: topics.map((t) => t.code),
        now,
      });
    });
  }
}
