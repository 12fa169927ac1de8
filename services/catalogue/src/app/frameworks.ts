import { NotFoundError } from "@lto/errors";
import { frameworks } from "../domain/index.js";

/** The competence frameworks the catalogue maps to: public reference data. */
export function frameworkUseCases() {
  return {
    list() {
      return frameworks.all.map(({ id, version, kind, name, source, note, competences, levels }) => ({
        id,
        version,
        kind,
        name,
        source,
        ...(note ? { note } : {}),
        competences: competences.length,
        levels: levels.length,
      }));
    },
    get(id: string, version: string) {
      const framework = frameworks.find(id, version);
      if (!framework) throw new NotFoundError("framework", `${id} ${version}`);
      return framework;
    },
  };
}
