// The ideas service's collections in its own database. Indexes are declared here and created
// explicitly at start (autoIndex is off): only plain, compound and unique ones (FerretDB).
import { Schema, type Connection, type Model } from "mongoose";
import { outboxPlugin, processedPlugin } from "@lto/messaging";

const { Mixed } = Schema.Types;
const options = { versionKey: false, strict: false, _id: false } as const;

const callSchema = new Schema(
  { _id: String, schoolYear: String, model: String, version: Number, createdAt: Date },
  options,
);
callSchema.index({ schoolYear: 1, _id: -1 });
callSchema.plugin(outboxPlugin);

const teamSchema = new Schema(
  { _id: String, schoolId: String, schoolYear: String, members: Mixed, version: Number },
  options,
);
teamSchema.index({ schoolId: 1, _id: -1 });
teamSchema.index({ schoolYear: 1, _id: -1 });

const ideaSchema = new Schema(
  {
    _id: String,
    callId: String,
    teamId: String,
    schoolId: String,
    state: String,
    area: String,
    district: String,
    technologies: [String],
    needs: [String],
    /** Lower-case words of title and summary: search without a text index (FerretDB has none). */
    searchTokens: [String],
    evaluatorSubjects: [String],
    submittedOnce: Boolean,
    history: Mixed,
    evaluators: Mixed,
    version: Number,
  },
  options,
);
for (const field of ["state", "callId", "schoolId", "teamId", "area", "district", "technologies", "needs"]) {
  ideaSchema.index({ [field]: 1, _id: -1 });
}
ideaSchema.index({ searchTokens: 1 });
ideaSchema.index({ evaluatorSubjects: 1 });
ideaSchema.plugin(outboxPlugin);
ideaSchema.plugin(processedPlugin);

export interface IdeasModels {
  calls: Model<unknown>;
  teams: Model<unknown>;
  ideas: Model<unknown>;
}

export function ideasModels(conn: Connection): IdeasModels {
  return {
    calls: (conn.models.Call ?? conn.model("Call", callSchema, "calls")) as unknown as Model<unknown>,
    teams: (conn.models.Team ?? conn.model("Team", teamSchema, "teams")) as unknown as Model<unknown>,
    ideas: (conn.models.Idea ?? conn.model("Idea", ideaSchema, "ideas")) as unknown as Model<unknown>,
  };
}
