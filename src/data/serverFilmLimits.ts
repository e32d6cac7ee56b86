// How much a server film may say: shared by its stored schema, its form and the form's checks.
export const MAX_SERVER_FILMS = 500;
/** The first films were shot in the 1870s; a year before is a typo. */
export const FIRST_FILM_YEAR = 1870;
export const MAX_SERVER_FILM_TITLE = 199;
export const MAX_SERVER_FILM_SYNOPSIS = 1024;
export const MAX_SERVER_FILM_DIRECTORS = 10;
export const MAX_DIRECTOR_NAME = 100;
export const MAX_RUNTIME_MINUTES = 1_000;
