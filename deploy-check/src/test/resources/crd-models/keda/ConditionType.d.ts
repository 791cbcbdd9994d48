/**
 * ConditionType specifies the available conditions for the resource
 */
export type IConditionType = string;
export type ConditionType = IConditionType;
export type { IConditionType as IComGithubKedacoreKedaV2ApisKedaV1alpha1ConditionType, ConditionType as ComGithubKedacoreKedaV2ApisKedaV1alpha1ConditionType };
