import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const BOOKING_STATUSES = ['booked', 'waitlisted', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

@Entity()
export class Booking {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  courseId: string;

  @Column('uuid')
  volunteerId: string;

  @Column('text')
  status: BookingStatus;

  /** 1..n without gaps among a course's waitlisted bookings; null otherwise. */
  @Column('integer', { nullable: true })
  waitlistPosition: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;
}
