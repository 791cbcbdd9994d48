import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ConditionType } from "./ConditionType.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * Condition to store the condition state
 */
export interface ICondition {
    /**
     * A human readable message indicating details about the transition.
     */
    "message"?: string;
    /**
     * The reason for the condition's last transition.
     */
    "reason"?: string;
    "status": string;
    /**
     * Type of condition
     */
    "type": IComGithubKedacoreKedaV2ApisKedaV1alpha1ConditionType;
}
/**
 * Condition to store the condition state
 */
export declare class Condition extends Model<ICondition> implements ICondition {
    "message"?: string;
    "reason"?: string;
    "status": string;
    "type": IComGithubKedacoreKedaV2ApisKedaV1alpha1ConditionType;
    constructor(data?: ModelData<ICondition>);
}
export type { ICondition as IComGithubKedacoreKedaV2ApisKedaV1alpha1Condition, Condition as ComGithubKedacoreKedaV2ApisKedaV1alpha1Condition };
