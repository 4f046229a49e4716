import request from 'supertest';
import type { TestApp } from './app';

export interface Participant {
  volunteerId: string;
  status: string;
  position: number | null;
}

/** The JSON API as one staff user calls it: bookings and participant lists of courses. */
export function staffRequests(caller: () => { t: TestApp; token: string }) {
  const staff = (req: request.Test) => req.auth(caller().token, { type: 'bearer' });
  const http = () => request(caller().t.http);
  return {
    staff,
    book: (courseId: string, volunteerId: string, extra: object = {}) =>
      staff(http().post(`/api/v1/courses/${courseId}/bookings`)).send({
        volunteerId,
        ...extra,
      }),
    participants: async (courseId: string) =>
      (await staff(http().get(`/api/v1/courses/${courseId}/participants`)).expect(200))
        .body as Participant[],
  };
}
