import { IComGithubKedacoreKedaV2ApisKedaV1alpha1HorizontalPodAutoscalerConfig } from "./HorizontalPodAutoscalerConfig.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScalingModifiers } from "./ScalingModifiers.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * AdvancedConfig specifies advance scaling options
 */
export interface IAdvancedConfig {
    "horizontalPodAutoscalerConfig"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1HorizontalPodAutoscalerConfig;
    "restoreToOriginalReplicaCount"?: boolean;
    "scalingModifiers"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScalingModifiers;
}
/**
 * AdvancedConfig specifies advance scaling options
 */
export declare class AdvancedConfig extends Model<IAdvancedConfig> implements IAdvancedConfig {
    "horizontalPodAutoscalerConfig"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1HorizontalPodAutoscalerConfig;
    "restoreToOriginalReplicaCount"?: boolean;
    "scalingModifiers"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScalingModifiers;
    constructor(data?: ModelData<IAdvancedConfig>);
}
export type { IAdvancedConfig as IComGithubKedacoreKedaV2ApisKedaV1alpha1AdvancedConfig, AdvancedConfig as ComGithubKedacoreKedaV2ApisKedaV1alpha1AdvancedConfig };
