import { ModelData, Model } from "@kubernetes-models/base";
/**
 * Fallback is the spec for fallback options
 */
export interface IFallback {
    "behavior"?: "static" | "currentReplicas" | "currentReplicasIfHigher" | "currentReplicasIfLower";
    "failureThreshold": number;
    "replicas": number;
}
/**
 * Fallback is the spec for fallback options
 */
export declare class Fallback extends Model<IFallback> implements IFallback {
    "behavior"?: "static" | "currentReplicas" | "currentReplicasIfHigher" | "currentReplicasIfLower";
    "failureThreshold": number;
    "replicas": number;
    constructor(data?: ModelData<IFallback>);
}
export type { IFallback as IComGithubKedacoreKedaV2ApisKedaV1alpha1Fallback, Fallback as ComGithubKedacoreKedaV2ApisKedaV1alpha1Fallback };
