import { IIoK8sApiAutoscalingV2HorizontalPodAutoscalerBehavior } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerBehavior";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HorizontalPodAutoscalerConfig specifies horizontal scale config
 */
export interface IHorizontalPodAutoscalerConfig {
    "behavior"?: IIoK8sApiAutoscalingV2HorizontalPodAutoscalerBehavior;
    "name"?: string;
}
/**
 * HorizontalPodAutoscalerConfig specifies horizontal scale config
 */
export declare class HorizontalPodAutoscalerConfig extends Model<IHorizontalPodAutoscalerConfig> implements IHorizontalPodAutoscalerConfig {
    "behavior"?: IIoK8sApiAutoscalingV2HorizontalPodAutoscalerBehavior;
    "name"?: string;
    constructor(data?: ModelData<IHorizontalPodAutoscalerConfig>);
}
export type { IHorizontalPodAutoscalerConfig as IComGithubKedacoreKedaV2ApisKedaV1alpha1HorizontalPodAutoscalerConfig, HorizontalPodAutoscalerConfig as ComGithubKedacoreKedaV2ApisKedaV1alpha1HorizontalPodAutoscalerConfig };
