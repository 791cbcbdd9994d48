import { IComGithubKedacoreKedaV2ApisKedaV1alpha1Condition } from "./Condition.js";
/**
 * Conditions an array representation to store multiple Conditions
 */
export type IConditions = Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1Condition>;
export type Conditions = IConditions;
export type { IConditions as IComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions, Conditions as ComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions };
