import { ModelData, Model } from "@kubernetes-models/base";
/**
 * TriggerAuthenticationStatus defines the observed state of TriggerAuthentication
 */
export interface ITriggerAuthenticationStatus {
    "scaledjobs"?: string;
    "scaledobjects"?: string;
}
/**
 * TriggerAuthenticationStatus defines the observed state of TriggerAuthentication
 */
export declare class TriggerAuthenticationStatus extends Model<ITriggerAuthenticationStatus> implements ITriggerAuthenticationStatus {
    "scaledjobs"?: string;
    "scaledobjects"?: string;
    constructor(data?: ModelData<ITriggerAuthenticationStatus>);
}
export type { ITriggerAuthenticationStatus as IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus, TriggerAuthenticationStatus as ComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus };
