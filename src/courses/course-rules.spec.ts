import {
  courseWarnings,
  isAlreadyHeld,
  sessionHours,
  sessionProblems,
  sessionTimeProblems,
} from './course-rules';

const at = (iso: string) => new Date(iso);
const known = new Set(['frameworks', 'boundaries', 'uncrc', 'child_safety', 'relations']);
const curriculum = {
  requiredHours: 20,
  mandatoryTopics: ['frameworks', 'boundaries', 'uncrc', 'child_safety'],
};

describe(sessionHours.name, () => {
  it('should derive hours from the times, across a daylight-saving change', () => {
    expect(sessionHours(at('2027-03-04T16:00:00Z'), at('2027-03-04T19:30:00Z'))).toBe(3.5);
    // 28 March 2027 02:00 Copenhagen jumps to 03:00: 00:00-04:00 local is 3 real hours.
    expect(sessionHours(at('2027-03-28T00:00:00+01:00'), at('2027-03-28T04:00:00+02:00'))).toBe(3);
  });
});

describe(sessionProblems.name, () => {
  it('should accept sessions in any order that do not overlap', () => {
    const sessions = [
      {
        startsAt: at('2027-03-11T17:00:00Z'),
        endsAt: at('2027-03-11T20:00:00Z'),
        topics: ['uncrc'],
      },
      {
        startsAt: at('2027-03-04T17:00:00Z'),
        endsAt: at('2027-03-04T20:00:00Z'),
        topics: ['frameworks'],
      },
    ];
    expect(sessionProblems(sessions, known)).toEqual([]);
  });

  it('should name each impossible session', () => {
    const sessions = [
      {
        startsAt: at('2027-03-04T17:00:00Z'),
        endsAt: at('2027-03-04T17:00:00Z'),
        topics: ['frameworks'],
      },
      {
        startsAt: at('2027-03-05T06:00:00Z'),
        endsAt: at('2027-03-05T18:30:00Z'),
        topics: ['knitting'],
      },
      {
        startsAt: at('2027-03-05T18:00:00Z'),
        endsAt: at('2027-03-05T19:00:00Z'),
        topics: ['uncrc'],
      },
    ];
    expect(sessionProblems(sessions, known)).toEqual([
      {
        field: 'sessions.0.endsAt',
        code: 'endsBeforeStart',
        message:
          'Kursusgangen skal slutte, efter den er begyndt. / The session must end after it starts.',
      },
      {
        field: 'sessions.1.endsAt',
        code: 'sessionTooLong',
        message: 'En kursusgang må højst vare 12 timer. / A session may last at most 12 hours.',
      },
      {
        field: 'sessions.2.startsAt',
        code: 'overlaps',
        message:
          'Overlapper kursusgang 2 af samme kursus. / Overlaps session 2 of the same course.',
      },
      // Times first (the form checks them with its fields), then what the curriculum knows.
      {
        field: 'sessions.1.topics',
        code: 'unknownTopic',
        message: 'ukendt emne knitting / unknown topic knitting',
      },
    ]);
  });
});

describe(sessionTimeProblems.name, () => {
  it('should skip a session whose times could not be read, keeping the numbering', () => {
    const problems = sessionTimeProblems([
      null,
      { startsAt: at('2027-03-04T17:00:00Z'), endsAt: at('2027-03-04T16:00:00Z') },
    ]);
    expect(problems).toEqual([
      {
        field: 'sessions.1.endsAt',
        code: 'endsBeforeStart',
        message:
          'Kursusgangen skal slutte, efter den er begyndt. / The session must end after it starts.',
      },
    ]);
  });
});

describe(isAlreadyHeld.name, () => {
  const now = at('2027-03-10T12:00:00Z');
  const session = (start: string, end: string) => ({ startsAt: at(start), endsAt: at(end) });

  it('should call a course held only when every session is over', () => {
    expect(isAlreadyHeld([session('2027-03-01T08:00:00Z', '2027-03-01T13:00:00Z')], now)).toBe(
      true,
    );
    expect(
      isAlreadyHeld(
        [
          session('2027-03-01T08:00:00Z', '2027-03-01T13:00:00Z'),
          session('2027-03-10T11:00:00Z', '2027-03-10T14:00:00Z'),
        ],
        now,
      ),
    ).toBe(false);
    expect(isAlreadyHeld([], now)).toBe(false);
  });
});

describe(courseWarnings.name, () => {
  it('should warn about missing mandatory topics and hours, and nothing for a full course', () => {
    const short = [
      {
        startsAt: at('2027-03-04T17:00:00Z'),
        endsAt: at('2027-03-04T20:00:00Z'),
        topics: ['frameworks'],
      },
    ];
    expect(courseWarnings(short, curriculum).map((w) => w.code)).toEqual([
      'missing_mandatory_topics',
      'too_few_hours',
    ]);
    const full = curriculum.mandatoryTopics.map((topic, i) => ({
      startsAt: at(`2027-03-0${i + 1}T08:00:00Z`),
      endsAt: at(`2027-03-0${i + 1}T13:00:00Z`),
      topics: [topic],
    }));
    expect(courseWarnings(full, curriculum)).toEqual([]);
  });
});
