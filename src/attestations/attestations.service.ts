import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import type { Actor } from '../common/auth/actor';
import { todayInCopenhagen } from '../common/dates';
import { FieldError, InvalidInputError, InvalidTransitionError } from '../common/errors';
import { ReadinessService } from '../readiness/readiness.service';
import { VolunteersService } from '../volunteers/volunteers.service';
import { Attestation } from './attestation.entity';
import { RecordAttestationDto } from './dto/record-attestation.dto';

@Injectable()
export class AttestationsService {
  constructor(
    private readonly volunteers: VolunteersService,
    private readonly readiness: ReadinessService,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Records the facts of a received certificate. One with entries is stored like any
   * other: it blocks readiness and shows up for the coordinator, and nothing else is
   * decided automatically against the person.
   */
  async record(actor: Actor, volunteerId: string, dto: RecordAttestationDto): Promise<Attestation> {
    const problems = datesProblems(dto, todayInCopenhagen());
    if (problems.length > 0) {
      throw new InvalidInputError(problems);
    }
    return this.uow.run(async (em) => {
      const volunteer = await this.volunteers.requireInScope(em, actor, volunteerId, true);
      if (volunteer.status !== 'active') {
        throw new InvalidTransitionError(
          `Ansøgningen er ${volunteer.status === 'withdrawn' ? 'trukket tilbage' : 'afslået'}. / The application is ${volunteer.status}.`,
          'volunteer_not_active',
        );
      }
      const attestation = await em.save(
        em.create(Attestation, {
          volunteerId,
          requestedOn: dto.requestedOn ?? null,
          receivedOn: dto.receivedOn,
          result: dto.result,
          verifiedBy: actor.id,
        }),
      );
      await this.readiness.refresh(em, volunteer);
      await this.audit.record(em, actor, {
        action: 'attestation.recorded',
        branchId: volunteer.branchId,
        volunteerId,
        details: { attestationId: attestation.id, receivedOn: dto.receivedOn, result: dto.result },
      });
      return attestation;
    });
  }
}

function datesProblems(dto: RecordAttestationDto, today: string): FieldError[] {
  const problems: FieldError[] = [];
  if (dto.receivedOn > today) {
    problems.push({
      field: 'receivedOn',
      code: 'inFuture',
      message: 'receivedOn cannot be in the future',
    });
  }
  if (dto.requestedOn !== undefined && dto.requestedOn > dto.receivedOn) {
    problems.push({
      field: 'requestedOn',
      code: 'afterReceived',
      message: 'requestedOn cannot be after receivedOn',
    });
  }
  return problems;
}
