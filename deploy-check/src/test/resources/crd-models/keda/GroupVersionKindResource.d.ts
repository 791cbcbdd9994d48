import { ModelData, Model } from "@kubernetes-models/base";
/**
 * GroupVersionKindResource provides unified structure for schema.GroupVersionKind and Resource
 */
export interface IGroupVersionKindResource {
    "group": string;
    "kind": string;
    "resource": string;
    "version": string;
}
/**
 * GroupVersionKindResource provides unified structure for schema.GroupVersionKind and Resource
 */
export declare class GroupVersionKindResource extends Model<IGroupVersionKindResource> implements IGroupVersionKindResource {
    "group": string;
    "kind": string;
    "resource": string;
    "version": string;
    constructor(data?: ModelData<IGroupVersionKindResource>);
}
export type { IGroupVersionKindResource as IComGithubKedacoreKedaV2ApisKedaV1alpha1GroupVersionKindResource, GroupVersionKindResource as ComGithubKedacoreKedaV2ApisKedaV1alpha1GroupVersionKindResource };
