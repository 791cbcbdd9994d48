import { ModelData, Model } from "@kubernetes-models/base";
/**
 * TriggerActivityStatus represents the activity status of an external trigger
 */
export interface ITriggerActivityStatus {
    "isActive"?: boolean;
}
/**
 * TriggerActivityStatus represents the activity status of an external trigger
 */
export declare class TriggerActivityStatus extends Model<ITriggerActivityStatus> implements ITriggerActivityStatus {
    "isActive"?: boolean;
    constructor(data?: ModelData<ITriggerActivityStatus>);
}
export type { ITriggerActivityStatus as IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus, TriggerActivityStatus as ComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus };
