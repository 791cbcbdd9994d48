import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ScalingStrategy defines the strategy of Scaling
 */
export interface IScalingStrategy {
    "customScalingQueueLengthDeduction"?: number;
    "customScalingRunningJobPercentage"?: string;
    "multipleScalersCalculation"?: string;
    "pendingPodConditions"?: Array<string>;
    "strategy"?: string;
}
/**
 * ScalingStrategy defines the strategy of Scaling
 */
export declare class ScalingStrategy extends Model<IScalingStrategy> implements IScalingStrategy {
    "customScalingQueueLengthDeduction"?: number;
    "customScalingRunningJobPercentage"?: string;
    "multipleScalersCalculation"?: string;
    "pendingPodConditions"?: Array<string>;
    "strategy"?: string;
    constructor(data?: ModelData<IScalingStrategy>);
}
export type { IScalingStrategy as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScalingStrategy, ScalingStrategy as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScalingStrategy };
