import { loggablePath } from './error.filter';

describe(loggablePath.name, () => {
  it.each([
    ['/v/Zq3xV9k_LmP0aR7tYw2bN5cD8eF1gH4j', '/v/:token'],
    ['/calendar/Zq3xV9k_LmP0aR7tYw2bN5cD8eF1gH4j.ics', '/calendar/:token'],
    ['/nulstil-adgangskode/a8F3kQ9zX2mN7pL4vB6cR1tY5wE0uI3o', '/nulstil-adgangskode/:token'],
  ])('should blank the secret token in %s', (path, logged) => {
    expect(loggablePath(path)).toBe(logged);
  });

  it.each([
    '/api/v1/volunteers/3f2b8c1e-9a4d-4f6b-8e2a-1c5d7e9f0a3b/home-visits',
    '/staff/courses/3f2b8c1e-9a4d-4f6b-8e2a-1c5d7e9f0a3b/participants',
    '/nulstil-adgangskode',
    '/api/v1/auth/password-reset',
  ])('should keep ids and route names in %s', (path) => {
    expect(loggablePath(path)).toBe(path);
  });
});
