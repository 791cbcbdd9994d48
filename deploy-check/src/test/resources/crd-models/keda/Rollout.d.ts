import { ModelData, Model } from "@kubernetes-models/base";
/**
 * Rollout defines the strategy for job rollouts
 */
export interface IRollout {
    "propagationPolicy"?: string;
    "strategy"?: string;
}
/**
 * Rollout defines the strategy for job rollouts
 */
export declare class Rollout extends Model<IRollout> implements IRollout {
    "propagationPolicy"?: string;
    "strategy"?: string;
    constructor(data?: ModelData<IRollout>);
}
export type { IRollout as IComGithubKedacoreKedaV2ApisKedaV1alpha1Rollout, Rollout as ComGithubKedacoreKedaV2ApisKedaV1alpha1Rollout };
