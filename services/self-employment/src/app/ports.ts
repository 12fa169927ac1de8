// What the use cases need from the outside world; infra implements these.
import type { Operator, Person, PersonRegistered } from "../domain/index.js";

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** Time-ordered ids (UUIDv7), so "newest first" is id order. */
  newId(): string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Operators. `update` fails with PreconditionFailedError when the stored version moved on, NotFoundError
 * when the operator is gone.
 */
export interface OperatorRepository {
  get(id: string): Promise<Operator | undefined>;
  /** The operators working at a site, newest first. */
  listBySite(site: string, page: { cursor?: string; limit: number }): Promise<Page<Operator>>;
  insert(operator: Operator): Promise<void>;
  update(operator: Operator): Promise<Operator>;
}

/**
 * Persons, written with their events in one update (the outbox). `insert` answers false when the
 * codice fiscale (or the id) is taken: one person per codice fiscale, even for racing registrations.
 */
export interface PersonRepository {
  get(id: string): Promise<Person | undefined>;
  byCodiceFiscale(codiceFiscale: string): Promise<Person | undefined>;
  listBySite(site: string, page: { cursor?: string; limit: number }): Promise<Page<Person>>;
  insert(person: Person, events: PersonRegistered[]): Promise<boolean>;
}

export interface Ports {
  operators: OperatorRepository;
  persons: PersonRepository;
  clock: Clock;
  ids: IdGenerator;
}
